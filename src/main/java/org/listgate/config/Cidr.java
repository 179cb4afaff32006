package org.listgate.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * An IPv4 or IPv6 network in CIDR notation ({@code 192.0.2.0/24}, {@code 2001:db8::/32}); a bare
 * address is a network of one. Used for {@code relay.networks}.
 *
 * <p>The address is an array component: the constructor and {@link #network()} copy it, and equals
 * and hashCode compare its contents, so the record is a value all the same.
 */
@SuppressWarnings("ArrayRecordComponent")
public record Cidr(byte[] network, int prefix) {

    public Cidr {
        network = network.clone();
        if (network.length != 4 && network.length != 16) {
            throw new IllegalArgumentException("not an IPv4 or IPv6 address");
        }
        if (prefix < 0 || prefix > network.length * 8) {
            throw new IllegalArgumentException("prefix out of range: /" + prefix);
        }
        network = mask(network, prefix);
    }

    /** Parses {@code text}; the message of the exception says what is wrong with it. */
    public static Cidr parse(String text) {
        int slash = text.indexOf('/');
        String host = slash < 0 ? text : text.substring(0, slash);
        if (!host.matches("[0-9A-Fa-f.:]+")) {
            throw new IllegalArgumentException("not an IP network: '" + text + "'");
        }
        byte[] address;
        try {
            address = InetAddress.getByName(host).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP network: '" + text + "'");
        }
        int prefix = address.length * 8;
        if (slash >= 0) {
            String bits = text.substring(slash + 1);
            if (!bits.matches("[0-9]{1,3}")) {
                throw new IllegalArgumentException("not an IP network: '" + text + "'");
            }
            prefix = Integer.parseInt(bits);
        }
        return new Cidr(address, prefix);
    }

    /**
     * Whether {@code address} lies in this network (an IPv4-mapped IPv6 address counts as IPv4).
     */
    public boolean contains(InetAddress address) {
        byte[] bytes = address.getAddress();
        return bytes.length == network.length && Arrays.equals(mask(bytes, prefix), network);
    }

    @Override
    public byte[] network() {
        return network.clone();
    }

    private static byte[] mask(byte[] address, int prefix) {
        byte[] masked = address.clone();
        for (int i = 0; i < masked.length; i++) {
            int bits = Math.max(0, Math.min(8, prefix - i * 8));
            masked[i] &= (byte) (0xff << (8 - bits));
        }
        return masked;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Cidr that
                && prefix == that.prefix
                && Arrays.equals(network, that.network);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(network) + prefix;
    }

    @Override
    public String toString() {
        try {
            return InetAddress.getByAddress(network).getHostAddress() + "/" + prefix;
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
