package org.listgate.smtp;

/** Checks the credentials of an SMTP AUTH exchange (the password file, in production). */
@FunctionalInterface
public interface Authenticator {
    boolean verify(String user, String password);
}
