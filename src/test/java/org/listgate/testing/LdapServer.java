package org.listgate.testing;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.listener.InMemoryListenerConfig;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldif.LDIFReader;
import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;

/**
 * UnboundID's in-memory directory server on a loopback port, loaded from LDIF text, for tests of
 * the LDAP directory, with the SDK's standard schema (RFC 4519, 2307 among others). {@link #stop()}
 * and {@link #restart()} keep the port and the entries: an outage and its end.
 */
public final class LdapServer implements AutoCloseable {

    public static final String BASE = "dc=example,dc=test";

    private final InMemoryDirectoryServer server;
    private int port;

    private LdapServer(InMemoryDirectoryServer server) {
        this.server = server;
    }

    public static LdapServer start(String ldif) throws Exception {
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
        config.setListenerConfigs(
                InMemoryListenerConfig.createLDAPConfig(
                        "ldap", InetAddress.getLoopbackAddress(), port, null));
        InMemoryDirectoryServer server = new InMemoryDirectoryServer(config);
        try (LDIFReader reader =
                new LDIFReader(new ByteArrayInputStream(ldif.getBytes(StandardCharsets.UTF_8)))) {
            server.importFromLDIF(true, reader);
        }
        server.startListening();
        LdapServer started = new LdapServer(server);
        started.port = server.getListenPort();
        return started;
    }

    public int port() {
        return port;
    }

    public String url() {
        return "ldap://127.0.0.1:" + port;
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
}
