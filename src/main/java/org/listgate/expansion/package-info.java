/**
 * EXPANSION — distribution lists into recipients.
 *
 * <p>{@link org.listgate.expansion.Expander} turns a message's accepted RCPTs into
 * {@link org.listgate.expansion.Expansion}: the targets, and the isolated members with RFC 3463
 * status and reason. Iterative, loop-safe, de-duplicated, capped at {@code limits.maxExpansion},
 * linear in the number of members; each member is handled inside the recipient boundary, so a
 * fault isolates that member alone (5.3.0).
 *
 * <p>HOSTILE INPUT: no list, however deep or cyclic, can recurse: the expansion keeps its own
 * stack, and each list is entered once per message.
 */
package org.listgate.expansion;
