package io.kedge.netproxy.dns;

import io.netty.handler.codec.dns.DnsRecord;
import io.netty.handler.codec.dns.DnsResponseCode;
import java.util.List;

/** What the node DNS says about a name it is authoritative for. */
record Answer(DnsResponseCode code, List<DnsRecord> answers, List<DnsRecord> authority, List<DnsRecord> additional) {
    static Answer of(List<DnsRecord> answers, List<DnsRecord> additional) {
        return new Answer(DnsResponseCode.NOERROR, answers, List.of(), additional);
    }

    static Answer failure() {
        return new Answer(DnsResponseCode.SERVFAIL, List.of(), List.of(), List.of());
    }
}
