package org.listgate.replay;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Where the entries of a domain's directory live: the suffix {@code dc=<label>} per label of the
 * domain ({@code dc=example,dc=test} for example.test), people under {@code ou=people}, groups
 * under {@code ou=groups}; a user is {@code uid=<local part>}, a group {@code cn=<list name>}. The
 * layout listgate's LDAP directory is tested against.
 */
record LdapLayout(String domain) {

    LdapLayout {
        domain = domain.toLowerCase(Locale.ROOT);
    }

    /** The base DN: {@code dc=example,dc=test}. */
    String suffix() {
        List<String> parts = new ArrayList<>();
        for (String label : domain.split("\\.", -1)) {
            parts.add("dc=" + Ldif.rdnValue(label));
        }
        return String.join(",", parts);
    }

    /** The first label of the domain: the suffix entry's {@code dc}. */
    String firstLabel() {
        return domain.split("\\.", -1)[0];
    }

    String people() {
        return "ou=people," + suffix();
    }

    String groups() {
        return "ou=groups," + suffix();
    }

    /** {@code uid=<uid>,ou=people,<suffix>}. */
    String person(String uid) {
        return "uid=" + Ldif.rdnValue(uid) + "," + people();
    }

    /** {@code cn=<name>,ou=groups,<suffix>}. */
    String group(String name) {
        return "cn=" + Ldif.rdnValue(name) + "," + groups();
    }

    /** The conventional administrator of the suffix, for ldapadd. */
    String admin() {
        return "cn=admin," + suffix();
    }
}
