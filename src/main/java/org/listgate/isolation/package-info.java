/**
 * ISOLATION — the three boundaries, the IMS codes, fault injection.
 *
 * <p>{@link org.listgate.isolation.Boundary} is the only place that catches {@link
 * java.lang.RuntimeException}: at the SMTP session, the message and the recipient. Each logs 9001
 * with {@link org.listgate.isolation.ImsCode}'s fields and returns the fail-closed value its caller
 * gives. The uncaught-exception handler makes any thread's death a 9001 too, and ends the process
 * on a {@link java.lang.VirtualMachineError}. {@link org.listgate.isolation.FaultInjector} ({@code
 * fault.inject}) throws on purpose, to re-enact KB Q166570; its {@code spool} stage instead makes
 * the spool's writes fail as on a full disk (an expected failure: 452, no 9001).
 */
package org.listgate.isolation;
