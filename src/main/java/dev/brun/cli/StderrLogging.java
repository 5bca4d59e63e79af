package dev.brun.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;

import java.util.List;

/**
 * Logging set up in code: logs go to stderr so that stdout stays clean for tables and JSON documents, at
 * BRUN_LOG_LEVEL (default WARN). Reading a logback.xml (an XML parser and Joran) cost every command a
 * noticeable part of its start. A logback.configurationFile system property still wins.
 */
public final class StderrLogging extends ContextAwareBase implements Configurator {
    static final List<String> QUIET = List.of("org.flywaydb", "org.eclipse.jetty", "io.javalin");
    /** A database that went away is reported once by the command, not by every pooled connection. */
    static final List<String> ERRORS_ONLY = List.of("com.zaxxer.hikari");

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty("logback.configurationFile") != null) return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%d{HH:mm:ss.SSS} %-5level %logger{20} - %msg%n");
        encoder.start();
        ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
        stderr.setContext(context);
        stderr.setName("STDERR");
        stderr.setTarget("System.err");
        stderr.setEncoder(encoder);
        stderr.start();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.toLevel(System.getenv("BRUN_LOG_LEVEL"), Level.WARN));
        root.addAppender(stderr);
        for (String name : QUIET) context.getLogger(name).setLevel(Level.WARN);
        for (String name : ERRORS_ONLY) context.getLogger(name).setLevel(Level.ERROR);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }
}
