package io.berth.cron;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Optional;

/**
 * A cron expression of a schedule (gc, retention, replication), in UTC: five fields as in crontab
 * ({@code minute hour day-of-month month day-of-week}, e.g. {@code 0 3 * * 0}), or six with
 * seconds first as Harbor writes them ({@code 0 0 3 * * 0}).
 */
public final class CronSchedule {

    private static final CronParser UNIX = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
    private static final CronParser SECONDS = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.SPRING));

    private final String expression;
    private final ExecutionTime times;

    private CronSchedule(String expression, Cron cron) {
        this.expression = expression;
        this.times = ExecutionTime.forCron(cron);
    }

    /**
     * Parses {@code expression}.
     *
     * @throws IllegalArgumentException with the reason, if it is not a cron expression of five or
     *     six fields
     */
    public static CronSchedule parse(String expression) {
        if (expression == null || expression.isBlank() || expression.length() > 200) {
            throw new IllegalArgumentException("a cron expression has five fields (minute hour day month weekday)"
                    + " or six (seconds first)");
        }
        String trimmed = expression.trim().replaceAll("\\s+", " ");
        int fields = trimmed.split(" ").length;
        CronParser parser = switch (fields) {
            case 5 -> UNIX;
            case 6 -> SECONDS;
            default -> throw new IllegalArgumentException("\"" + trimmed + "\" has " + fields
                    + " fields; a cron expression has five (minute hour day month weekday) or six (seconds first)");
        };
        try {
            Cron cron = parser.parse(trimmed);
            cron.validate();
            return new CronSchedule(trimmed, cron);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("\"" + trimmed + "\" is not a valid cron expression: " + e.getMessage());
        }
    }

    /** The first time after {@code after} the schedule names, if there is one. */
    public Optional<Instant> next(Instant after) {
        return times.nextExecution(ZonedDateTime.ofInstant(after, ZoneOffset.UTC)).map(ZonedDateTime::toInstant);
    }

    public String expression() {
        return expression;
    }
}
