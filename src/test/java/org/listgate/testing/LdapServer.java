package org.listgate.testing;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.listener.InMemoryListenerConfig;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldif.LDIFReader;
import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * UnboundID's in-memory directory server on a loopback port, loaded from LDIF text, for tests of
 * the LDAP directory, with the SDK's standard schema (RFC 4519, 2307 among others). {@link #stop()}
 * and {@link #restart()} keep the port and the entries: an outage and its end.
 */
public final class LdapServer implements AutoCloseable {

    public static final String BASE = "dc=example,dc=test";
    public static final String BIND_DN = "cn=listgate,dc=example,dc=test";
    public static final String BIND_PASSWORD = "s3cret";

    private final InMemoryDirectoryServer server;
    private int port;

    private final String scheme;

    private LdapServer(InMemoryDirectoryServer server, String scheme) {
        this.server = server;
        this.scheme = scheme;
    }

    public static LdapServer start(String ldif) throws Exception {
        return start(ldif, 0);
    }

    /**
     * As Active Directory does past its MaxValRange: a {@code member} attribute of more than {@code
     * range} values is returned {@code range} at a time, as {@code member;range=0-(range-1)}, and
     * the rest on request ({@code member;range=N-*}), the last slice ending in {@code *}. Zero:
     * whole, as OpenLDAP returns it.
     */
    public static LdapServer start(String ldif, int range) throws Exception {
        return start(ldif, range, null);
    }

    /** Over TLS from the first byte (ldaps), with {@code certificate}'s key. */
    public static LdapServer startLdaps(String ldif, SelfSignedCertificate certificate)
            throws Exception {
        return start(ldif, 0, certificate);
    }

    private static LdapServer start(String ldif, int range, SelfSignedCertificate certificate)
            throws Exception {
        InMemoryDirectoryServerConfig config = new InMemoryDirectoryServerConfig(BASE);
        // RFC 2307's rfc822MailMember (nis.schema in OpenLDAP) is not in the SDK's standard schema.
        config.setSchema(
                com.unboundid.ldap.sdk.schema.Schema.mergeSchemas(
                        com.unboundid.ldap.sdk.schema.Schema.getDefaultStandardSchema(),
                        new com.unboundid.ldap.sdk.schema.Schema(
                                new com.unboundid.ldap.sdk.Entry(
                                        "cn=schema",
                                        new com.unboundid.ldap.sdk.Attribute(
                                                "attributeTypes",
                                                "( 1.3.6.1.1.1.1.15 NAME 'rfc822MailMember'"
                                                        + " EQUALITY caseIgnoreIA5Match SYNTAX"
                                                        + " 1.3.6.1.4.1.1466.115.121.1.26 )")))));
        // As a real directory would: the naming and mail attributes are indexed.
        config.setEqualityIndexAttributes("uid", "cn", "mail");
        int port;
        try (java.net.ServerSocket probe =
                new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        // A service account for the tests of a simple bind.
        config.addAdditionalBindCredentials(BIND_DN, BIND_PASSWORD);
        if (range > 0) {
            config.addInMemoryOperationInterceptor(new Ranges(range));
        }
        if (certificate == null) {
            config.setListenerConfigs(
                    InMemoryListenerConfig.createLDAPConfig(
                            "ldap", InetAddress.getLoopbackAddress(), port, null));
        } else {
            com.unboundid.util.ssl.SSLUtil ssl =
                    new com.unboundid.util.ssl.SSLUtil(
                            new com.unboundid.util.ssl.KeyStoreKeyManager(
                                    certificate.keystore().toFile(),
                                    certificate.password().toCharArray(),
                                    "PKCS12",
                                    certificate.host()),
                            null);
            config.setListenerConfigs(
                    InMemoryListenerConfig.createLDAPSConfig(
                            "ldaps",
                            InetAddress.getLoopbackAddress(),
                            port,
                            ssl.createSSLServerSocketFactory(),
                            null));
        }
        InMemoryDirectoryServer server = new InMemoryDirectoryServer(config);
        try (LDIFReader reader =
                new LDIFReader(new ByteArrayInputStream(ldif.getBytes(StandardCharsets.UTF_8)))) {
            server.importFromLDIF(true, reader);
        }
        server.startListening();
        LdapServer started = new LdapServer(server, certificate == null ? "ldap" : "ldaps");
        started.port = server.getListenPort();
        return started;
    }

    public int port() {
        return port;
    }

    public String url() {
        return scheme + "://127.0.0.1:" + port;
    }

    /** Closes the listener and every connection: the directory is down. */
    public void stop() {
        server.shutDown(true);
    }

    /** Listens again on the same port. */
    public void restart() throws LDAPException {
        server.startListening();
    }

    /** Operations the server has processed: searches, binds. */
    public InMemoryDirectoryServer server() {
        return server;
    }

    @Override
    public void close() {
        server.shutDown(true);
    }

    /**
     * listgate's LDAP settings for a directory at {@code urls}: the default filters and attributes,
     * anonymous unless {@code bindDn} is given.
     */
    public static org.listgate.config.Config.Ldap settings(
            java.util.List<String> urls,
            java.util.Optional<String> bindDn,
            java.util.Optional<String> password,
            java.time.Duration cacheTtl,
            java.time.Duration timeout) {
        return new org.listgate.config.Config.Ldap(
                urls,
                bindDn,
                password,
                BASE,
                "(&(objectClass=inetOrgPerson)(mail=%s))",
                "(&(|(objectClass=groupOfNames)(objectClass=groupOfUniqueNames)"
                        + "(objectClass=group))(mail=%s))",
                java.util.List.of("member", "uniqueMember"),
                "rfc822MailMember",
                "owner",
                cacheTtl,
                timeout);
    }

    /** Active Directory's ranged retrieval of {@code member}, for one client at a time. */
    private static final class Ranges
            extends com.unboundid.ldap.listener.interceptor.InMemoryOperationInterceptor {
        private final int size;
        private volatile int start;

        Ranges(int size) {
            this.size = size;
        }

        @Override
        public void processSearchRequest(
                com.unboundid.ldap.listener.interceptor.InMemoryInterceptedSearchRequest request) {
            start = 0;
            List<String> asked = new ArrayList<>();
            for (String attribute : request.getRequest().getAttributeList()) {
                if (attribute.toLowerCase(java.util.Locale.ROOT).startsWith("member;range=")) {
                    String range = attribute.substring("member;range=".length());
                    start = Integer.parseInt(range.substring(0, range.indexOf('-')));
                    asked.add("member");
                } else {
                    asked.add(attribute);
                }
            }
            com.unboundid.ldap.sdk.SearchRequest changed = request.getRequest().duplicate();
            changed.setAttributes(asked);
            request.setRequest(changed);
        }

        @Override
        public void processSearchEntry(
                com.unboundid.ldap.listener.interceptor.InMemoryInterceptedSearchEntry result) {
            com.unboundid.ldap.sdk.Entry entry = result.getSearchEntry().duplicate();
            com.unboundid.ldap.sdk.Attribute member = entry.getAttribute("member");
            if (member == null || (member.size() <= size && start == 0)) {
                return;
            }
            String[] values = member.getValues();
            int from = Math.min(start, values.length);
            int to = Math.min(values.length, from + size);
            String end = to == values.length ? "*" : Integer.toString(to - 1);
            entry.removeAttribute("member");
            entry.addAttribute(
                    new com.unboundid.ldap.sdk.Attribute(
                            "member;range=" + from + "-" + end,
                            java.util.Arrays.copyOfRange(values, from, to)));
            result.setSearchEntry(entry);
        }
    }
}
