package org.listgate.replay;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The scenario as an LDAP directory: {@code directory.ldif}, in the layout of {@link LdapLayout},
 * with every mailbox of the users file as a user entry, the list as a group whose {@code mail} is
 * the list's address and whose members are written in their {@link LdapForm}s, the entries those
 * forms point at, and the nested groups that loop back into the list; and {@code slapd.conf}, a
 * slapd that serves it.
 *
 * <p>Entries come parents first, as slapadd and ldapadd need them. The LDIF holds no path and no
 * time: the same scenario gives the same file. It has no {@code version: 1} line, which RFC 2849
 * asks for and slapadd refuses; readers take a file without it as version 1.
 */
final class LdapDirectory {

    /** The port the written configuration's slapd listens on. */
    static final int PORT = 3389;

    static final String URL = "ldap://127.0.0.1:" + PORT;

    private LdapDirectory() {}

    /** {@code directory.ldif} for {@code scenario}, whose users file holds {@code users}. */
    static String ldif(Scenario scenario, Collection<String> users) {
        LdapLayout layout = new LdapLayout(scenario.domain());
        List<LdapForm.Written> written = LdapForm.of(scenario);
        StringBuilder out = new StringBuilder(header(scenario, layout, written));
        // No "version: 1" line: slapadd (OpenLDAP 2.5) takes it for an attribute and stops.
        out.append('\n');
        out.append(
                Ldif.render(
                        new Ldif.Entry(
                                layout.suffix(),
                                List.of(
                                        LdapForm.attr("objectClass", "top"),
                                        LdapForm.attr("objectClass", "dcObject"),
                                        LdapForm.attr("objectClass", "organization"),
                                        LdapForm.attr("dc", layout.firstLabel()),
                                        LdapForm.attr("o", layout.domain())))));
        out.append(Ldif.render(unit(layout.people())));
        out.append(Ldif.render(unit(layout.groups())));
        for (String user : users) {
            String uid = LdapForm.local(user);
            out.append(
                    Ldif.render(
                            new Ldif.Entry(
                                    layout.person(uid), LdapForm.person(uid, Optional.of(user)))));
        }
        // The entries the members' forms point at: people first, then the loop groups.
        for (boolean groups : new boolean[] {false, true}) {
            for (LdapForm.Written member : written) {
                if (member.entry().isPresent()
                        && (member.member().kind() == Kind.LIST_LOOP) == groups) {
                    out.append(Ldif.render(member.entry().get()));
                }
            }
        }
        out.append(Ldif.render(group(scenario, layout, written)));
        return out.toString();
    }

    /** The list's group: its members by attribute, each attribute's values in list order. */
    private static Ldif.Entry group(
            Scenario scenario, LdapLayout layout, List<LdapForm.Written> written) {
        String dn = layout.group(scenario.list());
        List<Ldif.Attribute> attributes = new ArrayList<>();
        attributes.add(LdapForm.attr("objectClass", "top"));
        attributes.add(LdapForm.attr("objectClass", "groupOfNames"));
        // extensibleObject: groupOfNames allows neither mail nor rfc822MailMember.
        attributes.add(LdapForm.attr("objectClass", "extensibleObject"));
        attributes.add(LdapForm.attr("cn", scenario.list()));
        attributes.add(LdapForm.attr("mail", scenario.listAddress()));
        boolean anyMember = false;
        for (String attribute :
                List.of(LdapForm.MEMBER, LdapForm.UNIQUE_MEMBER, LdapForm.MAIL_MEMBER)) {
            for (LdapForm.Written member : written) {
                if (member.attribute().equals(attribute)) {
                    attributes.add(LdapForm.attr(attribute, member.value()));
                    anyMember |= attribute.equals(LdapForm.MEMBER);
                }
            }
        }
        if (!anyMember) {
            // groupOfNames MUST have a member. A list with no member in a DN form (a few members
            // of the address-only kinds) names itself: a loop, skipped, no recipient.
            attributes.add(5, LdapForm.attr(LdapForm.MEMBER, dn));
        }
        return new Ldif.Entry(dn, attributes);
    }

    private static Ldif.Entry unit(String dn) {
        return new Ldif.Entry(
                dn,
                List.of(
                        LdapForm.attr("objectClass", "top"),
                        LdapForm.attr("objectClass", "organizationalUnit"),
                        LdapForm.attr("ou", dn.substring(3, dn.indexOf(',')))));
    }

    private static String header(
            Scenario scenario, LdapLayout layout, List<LdapForm.Written> written) {
        Map<LdapForm.Form, Integer> forms = new EnumMap<>(LdapForm.Form.class);
        written.forEach(member -> forms.merge(member.form(), 1, Integer::sum));
        List<String> counts = new ArrayList<>();
        forms.forEach(
                (form, n) -> counts.add(String.format(Locale.ROOT, "%s %,d", form.words(), n)));
        return "# The list "
                + scenario.listAddress()
                + " as an LDAP directory (LDIF, RFC 2849), written by listgate replay\n"
                + "# --write-directory --ldif: seed "
                + scenario.seed()
                + ", "
                + scenario.members().size()
                + " members, invalid ratio "
                + scenario.invalidRatio()
                + ". The same scenario as the users and lists\n"
                + "# files beside it, each member in an LDAP form to which listgate with"
                + " directory.type = ldap\n"
                + "# gives the same fate; replay --ldap expects the members by the texts listgate"
                + " reports for them.\n"
                + "# Members by form: "
                + String.join(", ", counts)
                + ".\n"
                + "# Schemas: core, cosine, nis, inetorgperson, and misc (it defines"
                + " rfc822MailMember).\n"
                + "# Load it into an empty slapd database for "
                + layout.suffix()
                + " (the slapd.conf beside it is one):\n"
                + "#   slapadd -f slapd.conf -l directory.ldif\n"
                + "# or into a running slapd that serves that suffix:\n"
                + "#   ldapadd -x -H "
                + URL
                + " -D "
                + layout.admin()
                + " -W -f directory.ldif\n";
    }

    /** {@code slapd.conf}: a slapd on {@link #PORT} serving the suffix from {@code dir/data}. */
    static String slapdConf(Scenario scenario, Path dir) {
        LdapLayout layout = new LdapLayout(scenario.domain());
        return "# A slapd that serves directory.ldif, written by listgate replay --write-directory"
                + " --ldif.\n"
                + "# Debian's paths: schemas in /etc/ldap/schema, modules in /usr/lib/ldap."
                + " Load, start, stop:\n"
                + "#   "
                + String.join("\n#   ", ScenarioDirectory.ldapCommands(dir))
                + "\n#   kill $(cat "
                + dir.resolve("data/slapd.pid")
                + ")\n"
                + "include /etc/ldap/schema/core.schema\n"
                + "include /etc/ldap/schema/cosine.schema\n"
                + "include /etc/ldap/schema/nis.schema\n"
                + "include /etc/ldap/schema/inetorgperson.schema\n"
                + "# rfc822MailMember\n"
                + "include /etc/ldap/schema/misc.schema\n"
                + "pidfile \""
                + dir.resolve("data/slapd.pid")
                + "\"\n"
                + "argsfile \""
                + dir.resolve("data/slapd.args")
                + "\"\n"
                + "modulepath /usr/lib/ldap\n"
                + "moduleload back_mdb\n"
                + "database mdb\n"
                + "maxsize 1073741824\n"
                + "suffix \""
                + layout.suffix()
                + "\"\n"
                + "rootdn \""
                + layout.admin()
                + "\"\n"
                + "directory \""
                + dir.resolve("data/ldap")
                + "\"\n"
                // As Debian's own configuration: lookups by address and by naming attribute
                // are answered from an index, not by reading every entry.
                + "index objectClass eq\n"
                + "index mail,uid,cn eq\n"
                + "# No access directives: anyone may read, as listgate binds anonymously.\n";
    }
}
