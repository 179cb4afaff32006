package org.listgate.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.listgate.config.Config;

/**
 * A key pair and a self-signed certificate for one host name, made at test time: subject {@code
 * CN=host}, subject alternative names {@code dns:host} and {@code ip:127.0.0.1}, valid from an hour
 * ago for two days. Written to a folder as {@code host.p12} (PKCS12, key and certificate, under
 * {@link #password()}) for the server, and {@code host.pem} (the certificate) for clients: {@code
 * swaks --tls-ca-path host.pem}, msmtp's {@code tls_trust_file host.pem}, {@code openssl s_client
 * -CAfile host.pem}.
 */
public record SelfSignedCertificate(
        String host, Path keystore, String password, Path pem, X509Certificate certificate) {

    public static final String PASSWORD = "listgate-test";

    /**
     * RSA 2048 (the default: it can also serve the legacy RSA key-transport suites) or EC P-256.
     */
    public enum KeyType {
        RSA,
        EC
    }

    /** An RSA certificate for {@code host}, written into {@code dir}. */
    public static SelfSignedCertificate create(Path dir, String host) {
        return create(dir, host, KeyType.RSA);
    }

    public static SelfSignedCertificate create(Path dir, String host, KeyType type) {
        try {
            KeyPair keys = keyPair(type);
            X509Certificate certificate = sign(host, keys, type);
            Path keystore = dir.resolve(host + ".p12");
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry(
                    host,
                    keys.getPrivate(),
                    PASSWORD.toCharArray(),
                    new Certificate[] {certificate});
            try (OutputStream out = Files.newOutputStream(keystore)) {
                store.store(out, PASSWORD.toCharArray());
            }
            Path pem = dir.resolve(host + ".pem");
            try (Writer out = Files.newBufferedWriter(pem, StandardCharsets.US_ASCII);
                    JcaPEMWriter writer = new JcaPEMWriter(out)) {
                writer.writeObject(certificate);
            }
            return new SelfSignedCertificate(host, keystore, PASSWORD, pem, certificate);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The server's side, as the configuration would give it. */
    public Config.ServerTls serverTls() {
        return new Config.ServerTls(keystore, password, false);
    }

    /** A client context that trusts this certificate and nothing else. */
    public SSLContext clientContext() {
        try {
            KeyStore trusted = KeyStore.getInstance("PKCS12");
            trusted.load(null, null);
            trusted.setCertificateEntry(host, certificate);
            TrustManagerFactory trust =
                    TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyPair keyPair(KeyType type) throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance(type.name());
        if (type == KeyType.RSA) {
            generator.initialize(2048);
        } else {
            generator.initialize(new ECGenParameterSpec("secp256r1"));
        }
        return generator.generateKeyPair();
    }

    private static X509Certificate sign(String host, KeyPair keys, KeyType type)
            throws IOException, GeneralSecurityException, OperatorCreationException {
        X500Name name = new X500Name("CN=" + host);
        Instant now = Instant.now();
        X509v3CertificateBuilder builder =
                new JcaX509v3CertificateBuilder(
                        name,
                        new BigInteger(64, new SecureRandom()).add(BigInteger.ONE),
                        Date.from(now.minus(Duration.ofHours(1))),
                        Date.from(now.plus(Duration.ofDays(2))),
                        name,
                        keys.getPublic());
        JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
        builder.addExtension(
                Extension.subjectAlternativeName,
                false,
                new GeneralNames(
                        new GeneralName[] {
                            new GeneralName(GeneralName.dNSName, host),
                            new GeneralName(GeneralName.iPAddress, "127.0.0.1")
                        }));
        // Its own issuer: CA:TRUE and keyCertSign let it stand in a client's CA file
        // (openssl s_client -CAfile host.pem -verify_return_error accepts it).
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        builder.addExtension(
                Extension.keyUsage,
                true,
                new KeyUsage(
                        KeyUsage.digitalSignature
                                | KeyUsage.keyEncipherment
                                | KeyUsage.keyCertSign));
        builder.addExtension(
                Extension.extendedKeyUsage,
                false,
                new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
        builder.addExtension(
                Extension.subjectKeyIdentifier,
                false,
                extensions.createSubjectKeyIdentifier(keys.getPublic()));
        String algorithm = type == KeyType.RSA ? "SHA256withRSA" : "SHA256withECDSA";
        return new JcaX509CertificateConverter()
                .getCertificate(
                        builder.build(
                                new JcaContentSignerBuilder(algorithm).build(keys.getPrivate())));
    }
}
