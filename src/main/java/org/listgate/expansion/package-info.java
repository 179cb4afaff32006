/**
 * EXPANSION — distribution lists into recipients.
 *
 * <p>{@link org.listgate.expansion.Expander} turns a message's accepted RCPTs into {@link
 * org.listgate.expansion.Expansion}: the targets, and the isolated members with RFC 3463 status and
 * reason. Iterative, loop-safe, de-duplicated, capped at {@code limits.maxExpansion}, linear in the
 * number of members; each member is handled inside the recipient boundary, so a fault isolates that
 * member alone (5.3.0).
 *
 * <p>Each target knows the lists it came through (outermost first, ten at most), which its copy
 * names in {@code Delivered-To} fields. A list named by the {@code Delivered-To} fields the message
 * arrived with is not expanded: the message has been through it and came back (a mail loop through
 * a forwarding member); it is isolated with 5.4.6 "mail forwarding loop for L", once, and its
 * members are not looked at.
 *
 * <p>{@link org.listgate.expansion.Expander#check} expands one list as a message to it would be,
 * and also records each member skipped as a loop (with the lists' path) or a duplicate (with where
 * it was met first): {@code listgate lists check}. A message's expansion records none of them, so
 * it costs nothing per member; each isolated member carries its origin ({@code file:line} or the
 * LDAP group's DN) by reference.
 *
 * <p>EVENTS: none of its own; the caller logs a 4037 (stage {@code expansion}) per isolated member
 * and a 2002 per list expanded. A fault while handling a member is a 9001 at the recipient
 * boundary.
 *
 * <p>HOSTILE INPUT: no list, however deep or cyclic, can recurse: the expansion keeps its own
 * stack, and each list is entered once per message. Mail sent back to a list by a member that
 * forwards it stops there instead of going round again. A poster naming a list in a Delivered-To of
 * its own only stops that list for its own message.
 */
package org.listgate.expansion;
