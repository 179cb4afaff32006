package org.listgate.address;

/**
 * How a mailbox is reached from here: delivered into a local Maildir, or handed to the relay (the
 * smarthost). The expansion decides it, the spool keeps it, delivery follows it.
 */
public enum Route {
    LOCAL,
    RELAY
}
