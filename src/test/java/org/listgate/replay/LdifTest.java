package org.listgate.replay;

import static org.assertj.core.api.Assertions.assertThat;

import com.unboundid.ldif.LDIFReader;
import java.io.BufferedReader;
import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LdifTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '\'',
            value = {
                "plain address          | u17@example.test           | false",
                "leading @              | @host1.example.test        | false",
                "quote inside           | '\"unbalanced1@x.test'     | false",
                "colon inside           | '@r.example.net:a@x.test'  | false",
                "leading <              | <angle2@example.test       | true",
                "leading colon          | ':colon@example.test'      | true",
                "leading space          | ' space@example.test'      | true",
                "trailing space         | 'space@example.test '      | true",
                "BEL                    | bell\u00071@example.test   | true",
                "NUL                    | nul\u00001@example.test    | true",
                "DEL                    | del\u007f1@example.test    | true",
                "8-bit                  | j\u00f6rg1@example.test    | true",
            })
    void writesAValueAsItIsOnlyWhenItIsASafeString(String what, String value, boolean base64)
            throws Exception {
        StringBuilder line = new StringBuilder();
        Ldif.line(line, "rfc822MailMember", value);

        assertThat(Ldif.needsBase64(value)).isEqualTo(base64);
        assertThat(line.toString())
                .startsWith(base64 ? "rfc822MailMember:: " : "rfc822MailMember: ");
        // Whatever the form, an LDIF reader gets the value back.
        var entry =
                LDIFReader.decodeEntry(
                        "dn: cn=x,dc=example,dc=test", line.toString().stripTrailing());
        assertThat(entry.getAttributeValue("rfc822MailMember")).isEqualTo(value);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '\'',
            value = {
                "ghost3            | ghost3",
                "j\u00f6rg3        | j\u00f6rg3",
                "a+b               | a\\+b",
                "'a,b;c'           | 'a\\,b\\;c'",
                "'\"q\"'           | '\\\"q\\\"'",
                "x=y               | x\\=y",
                "'<a>'             | '\\<a\\>'",
                "back\\slash       | back\\\\slash",
                "'#hash'           | '\\#hash'",
                "'in#side'         | 'in#side'",
                "' edge '          | '\\ edge\\ '",
                "'bell\u0007'      | bell\\07",
            })
    void escapesAnRdnValueAsRfc4514Says(String value, String escaped) throws Exception {
        assertThat(Ldif.rdnValue(value)).isEqualTo(escaped);
        // The DN it makes names the value again.
        assertThat(new com.unboundid.ldap.sdk.RDN("uid=" + escaped).getAttributeValues())
                .containsExactly(value);
    }

    @org.junit.jupiter.api.Test
    void anEntryIsItsDnItsLinesAndABlankLine() throws Exception {
        Ldif.Entry entry =
                new Ldif.Entry(
                        "uid=j\u00f6rg3,ou=people,dc=example,dc=test",
                        List.of(
                                new Ldif.Attribute("objectClass", "inetOrgPerson"),
                                new Ldif.Attribute("uid", "j\u00f6rg3")));

        String text = Ldif.render(entry);

        assertThat(text).startsWith("dn:: ").endsWith("\n\n");
        try (LDIFReader reader = new LDIFReader(new BufferedReader(new StringReader(text)))) {
            var read = reader.readEntry();
            assertThat(read.getDN()).isEqualTo(entry.dn());
            assertThat(read.getAttributeValue("uid")).isEqualTo("j\u00f6rg3");
        }
    }
}
