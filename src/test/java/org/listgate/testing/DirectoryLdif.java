package org.listgate.testing;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * LDIF (RFC 2849) for the test directory's layout, as {@code /work/notes/ldap-conventions.md} and
 * {@code replay --ldif} use it: users {@code uid=LOCAL,ou=people,dc=example,dc=test} with {@code
 * mail: LOCAL@example.test}, groups {@code cn=NAME,ou=groups,dc=example,dc=test} with {@code mail:
 * NAME@example.test}. Each method returns one or more complete records, each ending in a blank
 * line, so that they can be concatenated and handed to {@link Slapd#start}.
 *
 * <p>Values are written as given: one that is not a SAFE-STRING of RFC 2849 (it starts with a
 * space, a colon or '&lt;', ends with a space, or holds NUL, CR, LF or a non-ASCII character) is
 * written base64-encoded ({@code attr:: ...}).
 */
public final class DirectoryLdif {

    public static final String DOMAIN = "example.test";
    private static final String PEOPLE = "ou=people," + Slapd.SUFFIX;
    private static final String GROUPS = "ou=groups," + Slapd.SUFFIX;

    private DirectoryLdif() {}

    /** The suffix entry and the two organizational units: the first records of every load. */
    public static String base() {
        return record(
                        Slapd.SUFFIX,
                        "objectClass",
                        "top",
                        "objectClass",
                        "dcObject",
                        "objectClass",
                        "organization",
                        "dc",
                        "example",
                        "o",
                        DOMAIN)
                + record(PEOPLE, "objectClass", "organizationalUnit", "ou", "people")
                + record(GROUPS, "objectClass", "organizationalUnit", "ou", "groups");
    }

    /** A user whose mail is {@code local@example.test}. */
    public static String user(String local) {
        return userWithMail(local, local + "@" + DOMAIN);
    }

    /** A user with no mail attribute at all. */
    public static String userWithoutMail(String local) {
        return record(
                userDn(local),
                "objectClass",
                "inetOrgPerson",
                "uid",
                local,
                "cn",
                local,
                "sn",
                local);
    }

    /**
     * A user whose mail is exactly {@code mail}, valid or not. slapd takes any ASCII text here
     * (mail is an IA5 string: {@code u x@example.test}, {@code a@@b} and {@code @} load) and
     * refuses 8-bit text.
     */
    public static String userWithMail(String local, String mail) {
        return record(
                userDn(local),
                "objectClass",
                "inetOrgPerson",
                "uid",
                local,
                "cn",
                local,
                "sn",
                local,
                "mail",
                mail);
    }

    /**
     * A list: groupOfNames plus extensibleObject (which lets slapd store rfc822MailMember on it),
     * mail {@code name@example.test}. groupOfNames requires at least one member DN.
     */
    public static String group(
            String name,
            List<String> memberDns,
            List<String> rfc822Members,
            Optional<String> ownerDn) {
        if (memberDns.isEmpty()) {
            throw new IllegalArgumentException(
                    "groupOfNames requires a member; slapadd refuses group " + name + " without");
        }
        StringBuilder ldif = new StringBuilder(dnLine(groupDn(name)));
        ldif.append(line("objectClass", "groupOfNames"))
                .append(line("objectClass", "extensibleObject"))
                .append(line("cn", name))
                .append(line("mail", name + "@" + DOMAIN));
        memberDns.forEach(dn -> ldif.append(line("member", dn)));
        rfc822Members.forEach(address -> ldif.append(line("rfc822MailMember", address)));
        ownerDn.ifPresent(dn -> ldif.append(line("owner", dn)));
        return ldif.append('\n').toString();
    }

    public static String userDn(String local) {
        return "uid=" + rdnValue(local) + "," + PEOPLE;
    }

    public static String groupDn(String name) {
        return "cn=" + rdnValue(name) + "," + GROUPS;
    }

    private static String record(String dn, String... attributesAndValues) {
        StringBuilder ldif = new StringBuilder(dnLine(dn));
        for (int i = 0; i < attributesAndValues.length; i += 2) {
            ldif.append(line(attributesAndValues[i], attributesAndValues[i + 1]));
        }
        return ldif.append('\n').toString();
    }

    private static String dnLine(String dn) {
        return line("dn", dn);
    }

    private static String line(String attribute, String value) {
        if (safe(value)) {
            return attribute + ": " + value + "\n";
        }
        return attribute
                + ":: "
                + Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8))
                + "\n";
    }

    /**
     * RFC 2849: SAFE-STRING is SAFE-INIT-CHAR *SAFE-CHAR, where SAFE-CHAR is any ASCII character
     * but NUL, LF and CR, and SAFE-INIT-CHAR also excludes space, ':' and '<'. Its note 8: a value
     * ending with a space should be base64-encoded too.
     */
    static boolean safe(String value) {
        if (value.isEmpty()) {
            return true;
        }
        char first = value.charAt(0);
        if (first == ' ' || first == ':' || first == '<' || value.endsWith(" ")) {
            return false;
        }
        return value.chars().allMatch(c -> c > 0 && c < 128 && c != '\n' && c != '\r');
    }

    /** RFC 4514 §2.4: the escapes an attribute value needs inside a DN. */
    private static String rdnValue(String value) {
        StringBuilder escaped = new StringBuilder();
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean edge =
                    (i == 0 && (c == ' ' || c == '#')) || (i == value.length() - 1 && c == ' ');
            if (edge || "\"+,;<>\\=".indexOf(c) >= 0) {
                escaped.append('\\').append(c);
            } else if (c == 0) {
                escaped.append("\\00");
            } else {
                escaped.append(c);
            }
        }
        return escaped.toString();
    }
}
