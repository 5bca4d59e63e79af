package dev.brun;

/** Bad usage or bad input (a wrong YAML key, a corrupt import, an unknown option value): exit code 2. */
public class BadInputException extends BrunException {
    public BadInputException(String message) { super(2, message); }
    public BadInputException(String message, Throwable cause) { super(2, message, cause); }
}
