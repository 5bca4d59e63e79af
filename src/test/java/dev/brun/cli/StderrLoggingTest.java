package dev.brun.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.core.ConsoleAppender;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;

class StderrLoggingTest {
    @Test
    void logsGoToStderrAtWarnWithTheLibrariesKeptQuiet() {
        LoggerContext context = new LoggerContext();
        StderrLogging logging = new StderrLogging();
        logging.setContext(context);
        assertThat(logging.configure(context)).isEqualTo(Configurator.ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY);
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        ConsoleAppender<?> stderr = (ConsoleAppender<?>) root.getAppender("STDERR");
        assertThat(stderr.getTarget()).isEqualTo("System.err");
        assertThat(stderr.isStarted()).isTrue();
        if (System.getenv("BRUN_LOG_LEVEL") == null) assertThat(root.getLevel()).isEqualTo(Level.WARN);
        assertThat(context.getLogger("org.flywaydb").getLevel()).isEqualTo(Level.WARN);
    }

    @Test
    void theProcessUsesIt() {
        var root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        assertThat(root.getAppender("STDERR")).isNotNull();
    }
}
