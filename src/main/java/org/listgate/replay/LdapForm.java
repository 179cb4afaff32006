package org.listgate.replay;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * How each member of a scenario's list is written into an LDAP directory ({@code replay --ldif}),
 * and the text listgate names it by when it reads the list from there ({@code replay --ldap}). One
 * deterministic function of the scenario, so of the seed, serves both.
 *
 * <p>Every member keeps its {@link Kind} and so its fate: delivered, isolated with the same status,
 * merged or skipped, as with the users and lists files. Where a kind has more than one LDAP form,
 * its members go round them:
 *
 * <pre>
 * kind                     forms, in turn                                   text listgate reports
 * valid member             member: DN of its user entry                     its mail
 * duplicate                rfc822MailMember: the address (then, for a       the address (merged,
 *                          third, fourth... copy of one mailbox:            not reported)
 *                          uniqueMember: DN, &lt;address&gt;, a source route)
 * unknown local user       rfc822MailMember: ghostN@domain                  the address
 *                          member: uid=ghostN,ou=people,... (no entry)      the DN
 *                          member: DN of an entry without mail (account,    the DN
 *                          then inetOrgPerson without mail, in turn)
 * syntax kinds (5.1.3)     rfc822MailMember: the bad text, two members;     the bad text
 *                          member: DN of a user whose mail is the bad
 *                          text, two members; and so on
 * domain over 255          rfc822MailMember: the bad text                   the bad text
 * source route, IP         rfc822MailMember: as in the lists file           the text
 *   literal, other domain
 * nested list loop         member: DN of the loop group, then               (skipped)
 *                          rfc822MailMember: its address, in turn
 * </pre>
 *
 * <p>rfc822MailMember and mail have the syntax IA5String (RFC 2307 draft, RFC 4524 §2.16): 7-bit
 * ASCII, control characters included, so every member text but the 8-bit kind's can be stored (a
 * control character is base64 in the LDIF). The 8-bit kind ({@code jörg3@example.test}) can be
 * stored in neither attribute; a directory server refuses it (invalidAttributeSyntax). Its LDAP
 * form writes each octet of its UTF-8 as RFC 4515 writes an octet, {@code j\c3\b6rg3@example.test}:
 * storable, the same octets still there to be read, and no more an RFC 5321 mailbox than the
 * original (a backslash is not atext, §4.1.2), so the member is isolated with 5.1.3 as in the
 * files. Its user-entry form keeps the 8-bit name where LDAP allows UTF-8, in the DN ({@code
 * uid=jörg3}). The domain over 255 is never a user's mail: mail is bounded at 256 characters
 * (IA5String{256}) and the text is longer.
 *
 * <p>Duplicates: one attribute cannot hold a value twice (a DN, or an address under
 * caseIgnoreIA5Match), so the second copy of a mailbox is its rfc822MailMember and further copies
 * take forms that still name the same mailbox.
 */
final class LdapForm {

    static final String MEMBER = "member";
    static final String UNIQUE_MEMBER = "uniqueMember";
    static final String MAIL_MEMBER = "rfc822MailMember";

    /** The ways a member is written, as ldap-conventions name them. */
    enum Form {
        MEMBER_DN("member DN of a user"),
        UNIQUE_MEMBER_DN("uniqueMember DN of a user"),
        MAIL_MEMBER("rfc822MailMember"),
        DANGLING_DN("member DN with no entry"),
        ENTRY_WITHOUT_MAIL("member DN of an entry without mail"),
        ENTRY_WITH_BAD_MAIL("member DN of a user with a bad mail"),
        GROUP_DN("member DN of a group");

        private final String words;

        Form(String words) {
            this.words = words;
        }

        String words() {
            return words;
        }
    }

    /**
     * One member as written: the group's attribute and value, the text listgate names the member
     * by, and the entry this form brings into the directory, if it brings one.
     */
    record Written(
            Scenario.Member member,
            Form form,
            String attribute,
            String value,
            String text,
            Optional<Ldif.Entry> entry) {}

    private LdapForm() {}

    /** The members of {@code scenario} in their LDAP forms, in list order. */
    static List<Written> of(Scenario scenario) {
        return new Writer(scenario).all();
    }

    /** The state of one pass over the list: how many of each kind and form so far. */
    private static final class Writer {
        private final Scenario scenario;
        private final LdapLayout layout;
        private final String domain;
        private final Map<Kind, Integer> nth = new EnumMap<>(Kind.class);
        private final Map<String, Integer> copies = new HashMap<>();
        private int withoutMail;

        Writer(Scenario scenario) {
            this.scenario = scenario;
            this.layout = new LdapLayout(scenario.domain());
            this.domain = scenario.domain();
        }

        List<Written> all() {
            List<Written> written = new ArrayList<>(scenario.members().size());
            for (Scenario.Member member : scenario.members()) {
                written.add(write(member, nth.merge(member.kind(), 1, Integer::sum)));
            }
            return written;
        }

        /** The {@code n}-th member of its kind, as the files write it and in its LDAP form. */
        private Written write(Scenario.Member member, int n) {
            Kind kind = member.kind();
            return switch (kind) {
                case VALID -> {
                    String mailbox = member.mailbox().orElseThrow();
                    yield new Written(
                            member,
                            Form.MEMBER_DN,
                            MEMBER,
                            layout.person(local(mailbox)),
                            mailbox,
                            Optional.empty());
                }
                case DUPLICATE -> duplicate(member, member.mailbox().orElseThrow());
                case UNKNOWN_USER -> unknownUser(member, kind.write(n, domain), n);
                case MISSING_AT,
                        DOUBLE_AT,
                        EMPTY_LOCAL_PART,
                        OVERLONG_LOCAL_PART,
                        DOTS,
                        UNBALANCED,
                        CONTROL_CHARACTER,
                        EIGHT_BIT ->
                        badSyntax(member, n);
                case OVERLONG_DOMAIN, SOURCE_ROUTE, IP_LITERAL, NON_LOCAL_DOMAIN ->
                        mailMember(member, kind.write(n, domain));
                case LIST_LOOP -> loop(member, Scenario.loopList(scenario.list(), n), n);
            };
        }

        /**
         * The twin of a valid member, which is written as a member DN: the first copy as its
         * address, further copies of the same mailbox in forms an attribute can still hold.
         */
        private Written duplicate(Scenario.Member member, String mailbox) {
            int copy = copies.merge(mailbox.toLowerCase(Locale.ROOT), 1, Integer::sum);
            return switch (copy) {
                case 1 -> mailMember(member, mailbox, mailbox);
                case 2 ->
                        new Written(
                                member,
                                Form.UNIQUE_MEMBER_DN,
                                UNIQUE_MEMBER,
                                layout.person(local(mailbox)),
                                mailbox,
                                Optional.empty());
                case 3 -> mailMember(member, "<" + mailbox + ">", mailbox);
                // RFC 5321 Appendix C: a source route is ignored, so this is the mailbox again.
                default ->
                        mailMember(member, "@dup" + copy + "." + domain + ":" + mailbox, mailbox);
            };
        }

        private Written unknownUser(Scenario.Member member, String address, int n) {
            String dn = layout.person(local(address));
            return switch ((n - 1) % 3) {
                case 0 -> mailMember(member, address);
                case 1 -> new Written(member, Form.DANGLING_DN, MEMBER, dn, dn, Optional.empty());
                default -> {
                    // An entry the userFilter does not find: an account (cosine), or a person
                    // without mail, in turn.
                    withoutMail++;
                    String uid = local(address);
                    Ldif.Entry entry =
                            withoutMail % 2 == 1
                                    ? new Ldif.Entry(
                                            dn,
                                            List.of(
                                                    attr("objectClass", "top"),
                                                    attr("objectClass", "account"),
                                                    attr("uid", uid),
                                                    attr("description", "an account, no mailbox")))
                                    : new Ldif.Entry(dn, person(uid, Optional.empty()));
                    yield new Written(
                            member, Form.ENTRY_WITHOUT_MAIL, MEMBER, dn, dn, Optional.of(entry));
                }
            };
        }

        /**
         * A 5.1.3 kind: as rfc822MailMember for two members, then as the mail of a user entry for
         * two, and so on; pairs, so that the kinds that alternate their own text (dots, unbalanced)
         * have both texts in both forms.
         */
        private Written badSyntax(Scenario.Member member, int n) {
            Kind kind = member.kind();
            String filesText = kind.write(n, domain);
            String text = kind == Kind.EIGHT_BIT ? sevenBit(filesText) : filesText;
            if ((n - 1) / 2 % 2 == 0) {
                return mailMember(member, text, text);
            }
            String uid = kind == Kind.EIGHT_BIT ? local(filesText) : kind.key() + n;
            String dn = layout.person(uid);
            return new Written(
                    member,
                    Form.ENTRY_WITH_BAD_MAIL,
                    MEMBER,
                    dn,
                    text,
                    Optional.of(new Ldif.Entry(dn, person(uid, Optional.of(text)))));
        }

        /** The nested list that leads back: its group always; the list names it in turn. */
        private Written loop(Scenario.Member member, String name, int n) {
            String address = name + "@" + domain;
            String dn = layout.group(name);
            Ldif.Entry group =
                    new Ldif.Entry(
                            dn,
                            List.of(
                                    attr("objectClass", "top"),
                                    attr("objectClass", "groupOfNames"),
                                    attr("objectClass", "extensibleObject"),
                                    attr("cn", name),
                                    attr("mail", address),
                                    attr(MEMBER, layout.group(scenario.list()))));
            return n % 2 == 1
                    ? new Written(member, Form.GROUP_DN, MEMBER, dn, address, Optional.of(group))
                    : new Written(
                            member,
                            Form.MAIL_MEMBER,
                            MAIL_MEMBER,
                            address,
                            address,
                            Optional.of(group));
        }

        private static Written mailMember(Scenario.Member member, String text) {
            return mailMember(member, text, text);
        }

        private static Written mailMember(Scenario.Member member, String value, String text) {
            return new Written(
                    member, Form.MAIL_MEMBER, MAIL_MEMBER, value, text, Optional.empty());
        }
    }

    /** A user entry: inetOrgPerson with uid, cn, sn and, if given, mail. */
    static List<Ldif.Attribute> person(String uid, Optional<String> mail) {
        List<Ldif.Attribute> attributes =
                new ArrayList<>(
                        List.of(
                                attr("objectClass", "top"),
                                attr("objectClass", "person"),
                                attr("objectClass", "organizationalPerson"),
                                attr("objectClass", "inetOrgPerson"),
                                attr("uid", uid),
                                attr("cn", uid),
                                attr("sn", uid)));
        mail.ifPresent(value -> attributes.add(attr("mail", value)));
        return attributes;
    }

    static Ldif.Attribute attr(String name, String value) {
        return new Ldif.Attribute(name, value);
    }

    /** The local part of an address written {@code local@domain}, lower case. */
    static String local(String address) {
        return address.substring(0, address.lastIndexOf('@')).toLowerCase(Locale.ROOT);
    }

    /**
     * {@code text} with each octet of the UTF-8 of each non-ASCII character written {@code \xx}, as
     * RFC 4515 writes an octet in a filter: {@code jörg} is {@code j\c3\b6rg}.
     */
    static String sevenBit(String text) {
        StringBuilder out = new StringBuilder(text.length() + 8);
        text.codePoints()
                .forEach(
                        c -> {
                            if (c < 0x80) {
                                out.append((char) c);
                            } else {
                                for (byte b :
                                        new String(Character.toChars(c))
                                                .getBytes(StandardCharsets.UTF_8)) {
                                    out.append(String.format(Locale.ROOT, "\\%02x", b & 0xFF));
                                }
                            }
                        });
        return out.toString();
    }
}
