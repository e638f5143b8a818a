package io.kedge.netproxy.iptables;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Run inside a test network namespace as its own JVM: {@code serve ADDRESS PORT NAME} answers each
 * line with {@code NAME line}; {@code ask HOST PORT COUNT} connects COUNT times, one line each, and
 * prints each answer, or {@code error: ...}.
 */
public final class EchoProcess {
    private EchoProcess() {
    }

    public static void main(String[] args) throws Exception {
        if (args[0].equals("serve")) {
            serve(args[1], Integer.parseInt(args[2]), args[3]);
        } else {
            for (int i = 0; i < Integer.parseInt(args[3]); i++) {
                System.out.println(ask(args[1], Integer.parseInt(args[2])));
            }
        }
    }

    private static void serve(String address, int port, String name) throws Exception {
        try (ServerSocket server = new ServerSocket()) {
            server.bind(new InetSocketAddress(InetAddress.getByName(address), port));
            System.out.println("listening");
            System.out.flush();
            while (true) {
                Socket s = server.accept();
                try (s) {
                    s.setSoTimeout(5000);
                    String line = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8)).readLine();
                    PrintWriter out = new PrintWriter(s.getOutputStream(), true, StandardCharsets.UTF_8);
                    out.println(name + " " + line);
                } catch (Exception e) {
                    // one bad client does not stop the server
                }
            }
        }
    }

    private static String ask(String host, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 3000);
            s.setSoTimeout(5000);
            new PrintWriter(s.getOutputStream(), true, StandardCharsets.UTF_8).println("hello");
            String answer = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8)).readLine();
            return answer == null ? "error: closed without an answer" : answer;
        } catch (Exception e) {
            return "error: " + e;
        }
    }
}
