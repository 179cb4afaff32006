package org.listgate.smtp;

import org.listgate.config.Config;
import org.listgate.delivery.Dispatcher;
import org.listgate.events.EventLog;
import org.listgate.isolation.Boundary;
import org.listgate.spool.Spool;

/** What every transaction of one listener shares. */
record SmtpContext(
        String hostname, Config.Limits limits, RecipientPolicy policy, Spool spool, Dispatcher dispatcher,
        EventLog events, Boundary boundary) {}
