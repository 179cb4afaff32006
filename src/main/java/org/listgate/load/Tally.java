package org.listgate.load;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * What one sending thread counted: messages accepted and not, recipients accepted, each end-of-data
 * latency, and each refusal by step and reply. Each thread keeps its own; they are added up once
 * the sending is over, so the threads share nothing while they send.
 */
final class Tally {

    private long[] latencies = new long[1024];
    private int answered;
    private long accepted;
    private final Map<String, Long> acceptedBy = new java.util.TreeMap<>();
    private long failovers;
    private long passedOver;
    private long notAccepted;
    private long recipients;
    private final Map<Refusal, Long> refusals = new HashMap<>();
    private long firstMail = Long.MAX_VALUE;
    private long lastReply = Long.MIN_VALUE;

    /** A MAIL is about to be sent ({@link System#nanoTime()}). */
    void mail(long nanos) {
        firstMail = Math.min(firstMail, nanos);
    }

    /** What became of a message sent to {@code server}, known at {@code nanos}. */
    void add(Sent sent, long nanos, String server) {
        lastReply = Math.max(lastReply, nanos);
        sent.refusals().forEach(refusal -> refusals.merge(refusal, 1L, Long::sum));
        if (sent instanceof Sent.Accepted ok) {
            accepted++;
            acceptedBy.merge(server, 1L, Long::sum);
            recipients += ok.recipients();
            latency(ok.latencyNanos());
        } else if (sent instanceof Sent.NotAccepted) {
            notAccepted++;
        } else {
            throw new AssertionError(sent);
        }
    }

    /** A message that never reached MAIL: no session could be opened for it. */
    void unsent(Refusal refusal, long nanos) {
        lastReply = Math.max(lastReply, nanos);
        refusals.merge(refusal, 1L, Long::sum);
        notAccepted++;
    }

    private void latency(long nanos) {
        if (answered == latencies.length) {
            latencies = Arrays.copyOf(latencies, answered * 2);
        }
        latencies[answered++] = nanos;
    }

    void addAll(Tally other) {
        if (answered + other.answered > latencies.length) {
            latencies = Arrays.copyOf(latencies, answered + other.answered);
        }
        System.arraycopy(other.latencies, 0, latencies, answered, other.answered);
        answered += other.answered;
        accepted += other.accepted;
        notAccepted += other.notAccepted;
        recipients += other.recipients;
        firstMail = Math.min(firstMail, other.firstMail);
        lastReply = Math.max(lastReply, other.lastReply);
        other.refusals.forEach((refusal, count) -> refusals.merge(refusal, count, Long::sum));
        other.acceptedBy.forEach((server, count) -> acceptedBy.merge(server, count, Long::sum));
        failovers += other.failovers;
        passedOver += other.passedOver;
    }

    /** When the first MAIL went out, if one did. */
    OptionalLong firstMail() {
        return firstMail == Long.MAX_VALUE ? OptionalLong.empty() : OptionalLong.of(firstMail);
    }

    /** When the last message was answered (or found no session), if any was. */
    OptionalLong lastReply() {
        return lastReply == Long.MIN_VALUE ? OptionalLong.empty() : OptionalLong.of(lastReply);
    }

    long accepted() {
        return accepted;
    }

    /** A message sent again to the next server: the connection to one went in its middle. */
    void failover() {
        failovers++;
    }

    long failovers() {
        return failovers;
    }

    /** Servers a new session passed over (refused, timed out) before the one that answered. */
    void passedOver(int servers) {
        passedOver += servers;
    }

    long passedOver() {
        return passedOver;
    }

    /** Messages accepted by each server (host:port), in the servers' order of names. */
    Map<String, Long> acceptedBy() {
        return java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(acceptedBy));
    }

    long notAccepted() {
        return notAccepted;
    }

    long recipients() {
        return recipients;
    }

    Map<Refusal, Long> refusals() {
        return Map.copyOf(refusals);
    }

    /** The end-of-data latencies of the accepted messages, in nanoseconds, smallest first. */
    long[] sortedLatencies() {
        long[] sorted = Arrays.copyOf(latencies, answered);
        Arrays.sort(sorted);
        return sorted;
    }
}
