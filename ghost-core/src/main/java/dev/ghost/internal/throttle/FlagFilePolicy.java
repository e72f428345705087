package dev.ghost.internal.throttle;

import dev.ghost.spi.ThrottleContext;
import dev.ghost.spi.ThrottleDecision;
import dev.ghost.spi.ThrottlePolicy;

import java.nio.file.Files;
import java.nio.file.Path;

/** gh-ost's {@code --throttle-flag-file} and {@code --throttle-additional-flag-file}: throttles while a file exists. */
public record FlagFilePolicy(Path file) implements ThrottlePolicy {

    @Override
    public String name() {
        return "flag-file";
    }

    @Override
    public ThrottleDecision evaluate(ThrottleContext context) {
        return Files.exists(file) ? ThrottleDecision.throttle("flag-file " + file) : ThrottleDecision.proceed();
    }
}
