package io.openruntimes.java;

import java.util.ArrayList;
import java.util.List;

/** One execution's logs and errors; printed output joins them line by line. */
final class RuntimeLogs {
    final List<String> logs = new ArrayList<>();
    final List<String> errors = new ArrayList<>();
    private final StringBuilder partialOut = new StringBuilder();
    private final StringBuilder partialErr = new StringBuilder();

    synchronized void log(String message) {
        logs.add(message);
    }

    synchronized void error(String message) {
        errors.add(message);
    }

    synchronized void print(boolean toErrors, String text) {
        StringBuilder partial = toErrors ? partialErr : partialOut;
        partial.append(text);
        int newline;
        while ((newline = partial.indexOf("\n")) >= 0) {
            String line = partial.substring(0, newline);
            partial.delete(0, newline + 1);
            if (!line.isBlank()) (toErrors ? errors : logs).add(line);
        }
    }

    synchronized void finishOutput() {
        print(false, "\n");
        print(true, "\n");
    }
}
