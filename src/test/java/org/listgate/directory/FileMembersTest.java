package org.listgate.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.listgate.address.Addresses;
import org.listgate.address.Mailbox;
import org.listgate.address.ParseResult;

/** A file's members, kept in arrays: each made when asked for, as it was added. */
class FileMembersTest {

    @Test
    void eachMemberComesBackAsItWasWrittenWithItsOrigin() {
        Mailbox bob = new Mailbox("bob", "example.test");
        ParseResult invalid = Addresses.parse("not an address");
        FileMembers members = new FileMembers("/etc/listgate/lists", 1);
        members.add("bob@example.test", new ParseResult.Valid(bob), 3);
        members.add("Bob@Example.TEST", new ParseResult.Valid(bob), 4);
        members.add("sales", new ParseResult.Valid(new Mailbox("sales", "example.test")), 4);
        members.add("not an address", invalid, 7);
        members.seal();

        assertThat(members)
                .containsExactly(
                        new Member(
                                "bob@example.test",
                                new ParseResult.Valid(bob),
                                "/etc/listgate/lists",
                                3),
                        new Member(
                                "Bob@Example.TEST",
                                new ParseResult.Valid(bob),
                                "/etc/listgate/lists",
                                4),
                        new Member(
                                "sales",
                                new ParseResult.Valid(new Mailbox("sales", "example.test")),
                                "/etc/listgate/lists",
                                4),
                        new Member("not an address", invalid, "/etc/listgate/lists", 7));
        assertThat(members.get(1).text()).isEqualTo("Bob@Example.TEST");
        assertThat(members.get(3).origin()).isEqualTo("/etc/listgate/lists:7");
        assertThat(((ParseResult.Valid) members.get(0).parsed()).mailbox()).isSameAs(bob);
    }

    @Test
    void aSealedListCannotChangeAndAListKeepsItWithoutACopy() {
        FileMembers members = new FileMembers("lists", 4);
        members.add("a@example.test", Addresses.parse("a@example.test"), 1);
        members.seal();

        assertThatThrownBy(() -> members.add("b@example.test", Addresses.parse("b@x.test"), 2))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> members.set(0, members.get(0)))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> members.remove(0))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> members.get(1)).isInstanceOf(IndexOutOfBoundsException.class);

        Entry.DistributionList list =
                new Entry.DistributionList(new Mailbox("staff", "example.test"), members);
        assertThat(list.members()).isSameAs(members);
        Entry.DistributionList copied =
                new Entry.DistributionList(
                        new Mailbox("staff", "example.test"), List.copyOf(members));
        assertThat(copied.members()).isEqualTo(members);
    }

    @Test
    void aLineBeforeTheFirstIsRefused() {
        FileMembers members = new FileMembers("lists", 1);
        assertThatThrownBy(() -> members.add("a@example.test", Addresses.parse("a@x.test"), 0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
