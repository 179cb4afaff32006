/**
 * AUTH — credentials and TLS for SMTP AUTH (RFC 4954) and STARTTLS (RFC 3207).
 *
 * <h2>SYNOPSIS</h2>
 *
 * <pre>
 * TlsContexts.hardenJsse();                                   // first thing in main
 * SSLContext tls = TlsContexts.server(config.tls().get());    // tls.keystore, tls.password
 * SSLSocket socket = TlsContexts.serverSocket(tls, plain);    // at STARTTLS
 *
 * PasswordFile passwords = PasswordFile.load(path);           // auth.passwordFile
 * PasswordFile.permissionWarning(path).ifPresent(log::warn);
 * if (Sasl.plain(response) instanceof Sasl.Decoded&lt;Sasl.Credentials&gt; decoded
 *         &amp;&amp; !decoded.value().actsForAnother()
 *         &amp;&amp; passwords.verify(decoded.value().user(), decoded.value().password())) { ... }
 *
 * listgate passwd alice &gt;&gt; config/passwd
 * </pre>
 *
 * <h2>DESCRIPTION</h2>
 *
 * {@link org.listgate.auth.PasswordFile} reads a password file in Dovecot's passwd-file style, one
 * user a line, and answers whether a password is a user's:
 *
 * <pre>
 * # user:{SCHEME}hash[:more fields, ignored]
 * alice:{SHA512-CRYPT}$6$M8/GfNj8Ko3gOq6G$gx/JbFOK...
 * bob@example.org:{BLF-CRYPT}$2y$05$KEVQATOKgkPROABl6lptv.M4kj...
 * carol:$5$OgHQMz3U4b5pWpmB$h4.aAtF/q.UVR1XpUvrPIm4d70UmuE4u.utomj9j7l6
 * </pre>
 *
 * Schemes: {@code SHA512-CRYPT} ({@code $6$}) and {@code SHA256-CRYPT} ({@code $5$}), the SHA-crypt
 * of glibc, with or without {@code rounds=N$}; {@code BLF-CRYPT} (bcrypt, {@code $2y$}, {@code
 * $2b$}, {@code $2a$}, cost 4 to 31). The same hashes are taken with no {@code {SCHEME}} or under
 * {@code {CRYPT}}, recognised by their prefix. Lines {@code doveadm pw} writes are taken as they
 * are; {@code listgate passwd USER} writes SHA512-CRYPT lines with a 16-character salt and 5000
 * rounds, as {@code doveadm pw -s SHA512-CRYPT} does. Hashing is commons-codec's {@code Sha2Crypt}
 * and at.favre.lib's {@code bcrypt}; none of it is listgate's own.
 *
 * <p>{@link org.listgate.auth.Sasl} decodes the client's responses of the PLAIN mechanism (RFC
 * 4616) and of LOGIN into values: {@code Decoded}, {@code Cancelled} ("*", RFC 4954 §4: 501) or
 * {@code Malformed} with a reason (RFC 4954 §4: 501 5.5.2).
 *
 * <p>{@link org.listgate.auth.TlsContexts} makes the server's {@code SSLContext} from a PKCS12
 * keystore and layers server-mode TLS sockets over plain ones: TLS 1.3 and 1.2 only (RFC 8996, RFC
 * 9325 §3.1.1), ECDHE with AES-GCM or ChaCha20-Poly1305 only (RFC 9325 §4.2), in the server's order
 * of preference. {@code hardenJsse} makes the JDK refuse renegotiation a client asks for.
 *
 * <h2>DIAGNOSTICS</h2>
 *
 * A file that cannot be used is a {@link org.listgate.auth.CredentialFileException} of one line,
 * file and line number first: {@code passwd:3: user alice: plain-text password (scheme {PLAIN})
 * refused; hash it with listgate passwd}, {@code passwd:7: user bob: unknown scheme {MD5-CRYPT};
 * use SHA512-CRYPT, SHA256-CRYPT or BLF-CRYPT}, {@code passwd:9: user ALICE is already on line 2},
 * {@code server.p12: wrong password (tls.password)}, {@code server.p12: holds no private key, only
 * certificates}. {@code permissionWarning} words a warning for a password file whose mode is wider
 * than 0600. Nothing here logs or emits events; the caller decides.
 *
 * <h2>LIMITS</h2>
 *
 * A SASL response is at most 1024 octets decoded (1368 base64 characters, checked before decoding);
 * a password over 1024 octets is wrong without being hashed. bcrypt reads only the first 72 octets
 * of a password, as every bcrypt does.
 *
 * <h2>SECURITY</h2>
 *
 * Client input never throws: every answer is a value. {@code verify} checks an unknown user's
 * password against a decoy hash of the scheme and cost most users have, so it takes the time of one
 * real check and does not tell who exists; hashes are compared with {@code MessageDigest.isEqual}.
 * Plain-text and weak schemes (DES-crypt, MD5-crypt, unsalted digests) refuse the whole file, not
 * only their line, so that the mistake is seen at start rather than as one user who cannot log in;
 * error messages name the scheme, never the text, which may be a password. {@code Credentials}'s
 * {@code toString} hides the password. User names with control characters are refused by the SASL
 * decoder, so they can go into a log line as they are. {@code serverSocket} does not read from the
 * plain socket: input the SMTP layer has buffered before STARTTLS is its to discard (RFC 3207 §4.2,
 * CVE-2011-0411). {@code jdk.tls.rejectClientInitiatedRenegotiation} is read by the JDK at its
 * first TLS handshake, so {@code hardenJsse} must come before any.
 *
 * <h2>BUGS</h2>
 *
 * No SASLprep (RFC 4013): passwords are compared as the UTF-8 octets the client sent, so a password
 * typed in another Unicode normalisation form does not match. No CRAM-MD5 or SCRAM (they need the
 * password, or a scheme-specific secret, on the server). The password file is read once; a change
 * needs a restart. A hash with huge rounds or cost is taken: each check costs what it says. The
 * keystore's certificate is not checked for expiry or host name.
 */
package org.listgate.auth;
