package dev.brun.review;

import dev.brun.BadInputException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.MalformedInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The people allowed to review, each with their own secret token (the link they open once). Read from a file of
 * one reviewer per line, {@code NAME TOKEN} or {@code NAME: TOKEN} (so the file may also be a YAML mapping);
 * blank lines and lines starting with # are skipped. Names and tokens must be unique.
 */
public record Reviewers(List<Reviewer> all) {
    /** Tokens shorter than this are guessable by anyone who can reach the server. */
    public static final int MIN_TOKEN_LENGTH = 12;
    private static final int MAX_NAME_LENGTH = 60;

    public record Reviewer(String name, String token) {
        @Override
        public String toString() { return "Reviewer[" + name + "]"; } // never the token, even in a log line
    }

    public Reviewers {
        all = List.copyOf(all);
        if (all.isEmpty()) throw new BadInputException("a reviewers list needs at least one reviewer");
    }

    /** The reviewer holding this token; compared in constant time so a timing cannot reveal a token. */
    public Optional<Reviewer> byToken(String token) {
        if (token == null) return Optional.empty();
        byte[] given = token.getBytes(StandardCharsets.UTF_8);
        Reviewer found = null;
        for (Reviewer r : all)
            if (MessageDigest.isEqual(given, r.token().getBytes(StandardCharsets.UTF_8))) found = r;
        return Optional.ofNullable(found);
    }

    public static Reviewers read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (MalformedInputException e) {
            throw new BadInputException(file + ": not UTF-8 text; write one reviewer per line as NAME TOKEN");
        } catch (IOException e) {
            throw new BadInputException("cannot read the reviewers file " + file + ": " + e.getMessage());
        }
        return parse(file.toString(), lines);
    }

    /** Parses the lines of a reviewers file named source (for messages). */
    public static Reviewers parse(String source, List<String> lines) {
        List<Reviewer> out = new ArrayList<>();
        Map<String, Integer> names = new HashMap<>(), tokens = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            int lineNo = i + 1;
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            String name, token;
            int colon = line.indexOf(':');
            if (colon >= 0) {
                name = line.substring(0, colon).strip();
                token = line.substring(colon + 1).strip();
            } else {
                int space = line.lastIndexOf(' ') < 0 ? line.lastIndexOf('\t') : Math.max(line.lastIndexOf(' '), line.lastIndexOf('\t'));
                if (space < 0) throw bad(source, lineNo, "needs a name and a token separated by a space, like: ana 7f3c9e0a1b2d4c5e");
                name = line.substring(0, space).strip();
                token = line.substring(space + 1).strip();
            }
            name = unquote(name);
            token = unquote(token);
            if (name.isEmpty()) throw bad(source, lineNo, "the reviewer's name is empty");
            if (token.isEmpty()) throw bad(source, lineNo, "reviewer '" + name + "' has no token");
            if (name.length() > MAX_NAME_LENGTH) throw bad(source, lineNo, "the name is longer than " + MAX_NAME_LENGTH + " characters");
            if (!name.codePoints().allMatch(c -> Character.isLetterOrDigit(c) || " ._-'@".indexOf(c) >= 0))
                throw bad(source, lineNo, "the name '" + name + "' may hold only letters, digits, spaces and . _ - ' @");
            if (token.chars().anyMatch(Character::isWhitespace))
                throw bad(source, lineNo, "the token of '" + name + "' contains a space: a token is one word");
            if (token.length() < MIN_TOKEN_LENGTH)
                throw bad(source, lineNo, "the token of '" + name + "' is shorter than " + MIN_TOKEN_LENGTH
                        + " characters (guessable); make one with: openssl rand -hex 16");
            Integer earlier = names.putIfAbsent(name, lineNo);
            if (earlier != null) throw bad(source, lineNo, "reviewer '" + name + "' is already on line " + earlier);
            earlier = tokens.putIfAbsent(token, lineNo);
            if (earlier != null) throw bad(source, lineNo, "this token is already given to the reviewer on line " + earlier + ": every reviewer needs their own");
            out.add(new Reviewer(name, token));
        }
        if (out.isEmpty()) throw new BadInputException(source + ": no reviewer in the file; write one per line as NAME TOKEN");
        return new Reviewers(out);
    }

    private static String unquote(String s) {
        if (s.length() >= 2 && (s.startsWith("\"") && s.endsWith("\"") || s.startsWith("'") && s.endsWith("'")))
            return s.substring(1, s.length() - 1).strip();
        return s;
    }

    private static BadInputException bad(String source, int line, String what) {
        return new BadInputException(source + " line " + line + ": " + what);
    }
}
