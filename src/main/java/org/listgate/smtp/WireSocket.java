package org.listgate.smtp;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;

/**
 * The socket SubEtha SMTP is given: the client's real socket (plain, or TLS after STARTTLS) seen
 * through its {@link Wire}. Everything but the streams and the read timeout (which the wire sets
 * itself, per deadline) goes to the real socket.
 */
final class WireSocket extends Socket {

    /** A server socket whose connections come wrapped in a {@link Wire}. */
    static final class Server extends ServerSocket {
        interface Wiring {
            Wire wire(Socket socket) throws IOException;
        }

        private final Wiring wiring;

        Server(Wiring wiring) throws IOException {
            this.wiring = wiring;
        }

        @Override
        public Socket accept() throws IOException {
            Socket socket = super.accept();
            try {
                return new WireSocket(wiring.wire(socket));
            } catch (IOException
                    | RuntimeException e) { // isolation: rethrown, the socket only closed
                socket.close();
                throw e;
            }
        }
    }

    private final Wire wire;
    private final Socket real;

    WireSocket(Wire wire) {
        this.wire = wire;
        this.real = wire.socket();
    }

    Wire wire() {
        return wire;
    }

    @Override
    public InputStream getInputStream() {
        return wire.commands();
    }

    @Override
    public OutputStream getOutputStream() {
        return wire.output();
    }

    /** SubEtha sets its idle timeout here; the wire keeps its own deadlines. */
    @Override
    public void setSoTimeout(int timeout) {}

    @Override
    public synchronized int getSoTimeout() throws SocketException {
        return real.getSoTimeout();
    }

    @Override
    public InetAddress getInetAddress() {
        return real.getInetAddress();
    }

    @Override
    public int getPort() {
        return real.getPort();
    }

    @Override
    public InetAddress getLocalAddress() {
        return real.getLocalAddress();
    }

    @Override
    public int getLocalPort() {
        return real.getLocalPort();
    }

    @Override
    public SocketAddress getRemoteSocketAddress() {
        return real.getRemoteSocketAddress();
    }

    @Override
    public SocketAddress getLocalSocketAddress() {
        return real.getLocalSocketAddress();
    }

    @Override
    public boolean isConnected() {
        return real.isConnected();
    }

    @Override
    public boolean isBound() {
        return real.isBound();
    }

    @Override
    public boolean isClosed() {
        return real.isClosed();
    }

    @Override
    public boolean isInputShutdown() {
        return real.isInputShutdown();
    }

    @Override
    public boolean isOutputShutdown() {
        return real.isOutputShutdown();
    }

    @Override
    public void shutdownInput() throws IOException {
        real.shutdownInput();
    }

    @Override
    public void shutdownOutput() throws IOException {
        real.shutdownOutput();
    }

    @Override
    public synchronized void close() throws IOException {
        real.close();
    }

    @Override
    public String toString() {
        return "WireSocket[" + real + "]";
    }
}
