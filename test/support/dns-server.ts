import dns2 from 'dns2';

const { Packet } = dns2;

/** Records a test DNS server answers with, by name (lower case, no trailing dot). */
export interface DnsRecords {
  a?: string[];
  aaaa?: string[];
  cname?: string;
}

/** A real DNS server on a local UDP port, answering from a table the test changes as it goes. */
export interface TestDnsServer {
  /** `127.0.0.1:<port>`, as PLINTH_DNS takes it. */
  address: string;
  records: Map<string, DnsRecords>;
  stop(): Promise<void>;
}

export async function startDnsServer(): Promise<TestDnsServer> {
  const records = new Map<string, DnsRecords>();
  const server = dns2.createServer({
    udp: true,
    handle(request, send) {
      // The packets carry more than the published types say: the question's type, the header's rcode.
      const response = Packet.createResponseFromRequest(request) as ReturnType<typeof Packet.createResponseFromRequest> & { header: { rcode: number } };
      const question = request.questions[0] as { name: string; type: number } | undefined;
      const name = (question?.name ?? '').toLowerCase().replace(/\.$/, '');
      const found = records.get(name);
      // A name the table lacks does not exist (NXDOMAIN); a known name may still lack the record type asked.
      if (!found) response.header.rcode = 3;
      else if (question?.type === Packet.TYPE.CNAME && found.cname) {
        response.answers.push({ name, type: Packet.TYPE.CNAME, class: Packet.CLASS.IN, ttl: 60, domain: found.cname });
      } else if (question?.type === Packet.TYPE.A) {
        for (const address of found.a ?? []) response.answers.push({ name, type: Packet.TYPE.A, class: Packet.CLASS.IN, ttl: 60, address });
      } else if (question?.type === Packet.TYPE.AAAA) {
        for (const address of found.aaaa ?? []) response.answers.push({ name, type: Packet.TYPE.AAAA, class: Packet.CLASS.IN, ttl: 60, address });
      }
      send(response);
    },
  });
  await server.listen({ udp: { port: 0, address: '127.0.0.1' } });
  const port = server.addresses().udp?.port;
  if (port === undefined) throw new Error('the DNS server did not bind');
  return {
    address: `127.0.0.1:${port}`,
    records,
    async stop() {
      await server.close();
    },
  };
}
