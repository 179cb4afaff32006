package org.listgate.events;

/**
 * The event catalogue. Numbers 9001 and 4037 are those of Exchange's Internet Mail Service (KB
 * Q166570); the others are listgate's own and documented in README.md.
 */
public enum EventId {
    SERVICE_STARTED(1000, Type.INFORMATION, "The listgate service has started."),
    SERVICE_STOPPED(1001, Type.INFORMATION, "The listgate service has shut down successfully."),
    DIRECTORY_LOADED(1002, Type.INFORMATION, "The directory has been loaded."),
    DIRECTORY_AVAILABLE(1003, Type.INFORMATION, "The directory can be reached again."),
    SERVICE_NOT_STARTED(1004, Type.ERROR, "The listgate service could not start."),
    MESSAGE_ACCEPTED(2001, Type.INFORMATION, "A message has been accepted and queued."),
    LIST_EXPANDED(2002, Type.INFORMATION, "A distribution list has been expanded."),
    DELIVERED(2003, Type.INFORMATION, "A message has been delivered to a recipient."),
    MESSAGE_COMPLETED(
            2004, Type.INFORMATION, "Every recipient of a queued message has been handled."),
    SPOOL_RECOVERED(2005, Type.INFORMATION, "A message left in the spool is being delivered."),
    REPORT_QUEUED(2006, Type.INFORMATION, "A delivery status notification has been queued."),
    DELIVERY_RETRIED(2007, Type.INFORMATION, "Delivery to a deferred recipient is being retried."),
    MESSAGE_DELETED(
            2008,
            Type.INFORMATION,
            "A message has been deleted from the queue by the administrator."),
    REPORT_NOT_SENT(
            2009,
            Type.INFORMATION,
            "No delivery status notification has been sent: the message has a null sender."),
    QUEUE_FLUSHED(
            2010,
            Type.INFORMATION,
            "The administrator has asked for deferred recipients to be retried now."),
    CLIENT_AUTHENTICATED(2011, Type.INFORMATION, "A client has authenticated."),
    RECIPIENT_REFUSED(3001, Type.WARNING, "A recipient has been refused."),
    DIRECTORY_MEMBER_INVALID(
            3002, Type.WARNING, "A distribution list holds a member that is not a valid address."),
    DIRECTORY_LINE_INVALID(
            3003,
            Type.WARNING,
            "A directory file holds a line that cannot be read; it has been skipped."),
    DELIVERY_DEFERRED(3004, Type.WARNING, "Delivery to a recipient has been deferred."),
    MESSAGE_REFUSED(3005, Type.WARNING, "A message has been refused."),
    SPOOL_CORRUPT(3006, Type.WARNING, "A spool file could not be read; it has been moved aside."),
    SPOOL_LOW_SPACE(
            3008, Type.WARNING, "The spool is short of disk space; new mail is refused for now."),
    SPOOL_STATE_NOT_SAVED(
            3009,
            Type.WARNING,
            "The state of a queued message could not be written; recipients may be delivered twice after a crash."),
    REPORT_DEFERRED(
            3010,
            Type.WARNING,
            "A delivery status notification could not be queued; it will be tried again."),
    CLIENT_CUT_OFF(3011, Type.WARNING, "A client has been disconnected for passing a limit."),
    REFUSALS_NOT_LOGGED(
            3012, Type.WARNING, "Refusals of one client were counted but not logged one by one."),
    AUTH_FAILED(3013, Type.WARNING, "An authentication attempt has failed."),
    DIRECTORY_UNAVAILABLE(
            3014,
            Type.WARNING,
            "The directory cannot be reached; recipients are answered 451 4.4.3 and expansions"
                    + " wait until it can."),
    EXPANSION_DEFERRED(
            3015,
            Type.WARNING,
            "The expansion of a message has been deferred: the directory cannot be reached."),
    RECIPIENT_NOT_DELIVERED(
            4037,
            Type.WARNING,
            "An exception has occurred which was handled internally. This may have resulted in a message not being delivered."),
    EXCEPTION(9001, Type.ERROR, "An exception has occurred.");

    /** The Windows event log's three kinds, as IMS wrote them. */
    public enum Type {
        ERROR("Error"),
        WARNING("Warning"),
        INFORMATION("Information");

        private final String label;

        Type(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    private final int number;
    private final Type type;
    private final String text;

    EventId(int number, Type type, String text) {
        this.number = number;
        this.type = type;
        this.text = text;
    }

    public int number() {
        return number;
    }

    public Type type() {
        return type;
    }

    /** The fixed text of the event, its {@code message} field. */
    public String text() {
        return text;
    }

    /**
     * The "Event Category" the IMS-style rendering shows: the stage of the flow the event belongs
     * to (smtp → spool → expansion → delivery), Isolation for 4037 and 9001.
     */
    public String category() {
        return switch (this) {
            case SERVICE_STARTED, SERVICE_STOPPED, SERVICE_NOT_STARTED -> "Service";
            case DIRECTORY_LOADED,
                    DIRECTORY_AVAILABLE,
                    DIRECTORY_UNAVAILABLE,
                    DIRECTORY_MEMBER_INVALID,
                    DIRECTORY_LINE_INVALID ->
                    "Directory";
            case RECIPIENT_REFUSED,
                    MESSAGE_REFUSED,
                    CLIENT_AUTHENTICATED,
                    CLIENT_CUT_OFF,
                    REFUSALS_NOT_LOGGED,
                    AUTH_FAILED ->
                    "SMTP";
            case MESSAGE_ACCEPTED,
                    SPOOL_RECOVERED,
                    SPOOL_CORRUPT,
                    SPOOL_LOW_SPACE,
                    SPOOL_STATE_NOT_SAVED ->
                    "Spool";
            case MESSAGE_DELETED, QUEUE_FLUSHED -> "Queue";
            case REPORT_QUEUED, REPORT_NOT_SENT, REPORT_DEFERRED -> "Reports";
            case LIST_EXPANDED, EXPANSION_DEFERRED -> "Expansion";
            case DELIVERED, DELIVERY_DEFERRED, DELIVERY_RETRIED, MESSAGE_COMPLETED -> "Delivery";
            case RECIPIENT_NOT_DELIVERED, EXCEPTION -> "Isolation";
                // No default: a new id does not compile until it has a category.
        };
    }

    public static java.util.Optional<EventId> byNumber(int number) {
        for (EventId id : values()) {
            if (id.number == number) {
                return java.util.Optional.of(id);
            }
        }
        return java.util.Optional.empty();
    }
}
