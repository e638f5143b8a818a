package io.kedge.api.table;

import static io.kedge.api.table.ColumnDefinition.string;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * events, in core/v1 and in events.k8s.io/v1: LAST SEEN TYPE REASON OBJECT MESSAGE, wide adds
 * SUBOBJECT SOURCE FIRST SEEN COUNT NAME. Unlike other tables the name comes last, as a wide
 * column, because the generated event name tells a reader nothing.
 */
final class EventPrinter {
    /** Where each API version keeps the fields the table needs. */
    private record Layout(String regarding, String message, String source, String firstTimestamp,
                          String lastTimestamp, String count, String reportingController) {}

    private static final Layout CORE = new Layout("involvedObject", "message", "source", "firstTimestamp",
            "lastTimestamp", "count", "reportingComponent");
    private static final Layout EVENTS_API = new Layout("regarding", "note", "deprecatedSource",
            "deprecatedFirstTimestamp", "deprecatedLastTimestamp", "deprecatedCount", "reportingController");

    private static final List<ColumnDefinition> COLUMNS = List.of(
            string("Last Seen", "Time since the event was last observed."),
            string("Type", "Normal or Warning."),
            string("Reason", "A short, machine-readable reason for the event."),
            string("Object", "The object the event is about, as kind/name."),
            string("Subobject", "The part of the object the event is about, such as a container.").wide(),
            string("Source", "The component, and host, that reported the event.").wide(),
            string("Message", "A human-readable description of the event."),
            string("First Seen", "Time since the event was first observed.").wide(),
            string("Count", "How many times the event has been observed.").wide(),
            Columns.NAME.wide());

    private EventPrinter() {}

    static TablePrinter core() {
        return new RowPrinter(COLUMNS, (event, now) -> cells(event, now, CORE));
    }

    static TablePrinter eventsApi() {
        return new RowPrinter(COLUMNS, (event, now) -> cells(event, now, EVENTS_API));
    }

    private static Object[] cells(JsonNode event, Instant now, Layout layout) {
        String firstSeen = Fields.time(event, layout.firstTimestamp())
                .or(() -> Fields.time(event, "eventTime"))
                .map(t -> HumanDuration.since(t, now))
                .orElse(Fields.UNKNOWN);
        String lastSeen = Fields.time(event, layout.lastTimestamp())
                .map(t -> HumanDuration.since(t, now))
                .orElse(firstSeen);
        long count = Fields.number(event, layout.count());
        if (Fields.present(event, "series")) {
            lastSeen = Fields.since(now, event, "series", "lastObservedTime");
            count = Fields.number(event, "series", "count");
        } else if (count == 0) {
            count = 1; // a singleton event of the newer API carries no count
        }
        JsonNode regarding = Fields.at(event, layout.regarding());
        String kind = Fields.text(regarding, "kind").toLowerCase(Locale.ROOT);
        String regardingName = Fields.text(regarding, "name");
        String object = regardingName.isEmpty() ? kind : kind + "/" + regardingName;
        return new Object[] {
            lastSeen, Fields.text(event, "type"), Fields.text(event, "reason"), object,
            Fields.text(regarding, "fieldPath"), source(event, layout), Fields.text(event, layout.message()).strip(),
            firstSeen, count, Fields.name(event)
        };
    }

    private static String source(JsonNode event, Layout layout) {
        String component = firstNonEmpty(Fields.text(event, layout.source(), "component"),
                Fields.text(event, layout.reportingController()));
        String instance = firstNonEmpty(Fields.text(event, layout.source(), "host"),
                Fields.text(event, "reportingInstance"));
        return instance.isEmpty() ? component : component + ", " + instance;
    }

    private static String firstNonEmpty(String a, String b) {
        return a.isEmpty() ? b : a;
    }
}
