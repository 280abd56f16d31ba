// The stand-in devices as a program, run inside each device's network namespace:
//   eos|srlinux --listen <addr:port> --cert F --key F --user U --password-env V --recordings F
//   cluster     --socket S --recordings F     (recordings: objects per cluster)
//   vtysh       --recordings F -c <command> … (an FRR router's vtysh)
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { clusterApi, jsonRpcDevice, listenSocket, vtyshAnswer, type Recordings } from './devices.ts';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    listen: { type: 'string' },
    cert: { type: 'string' },
    key: { type: 'string' },
    user: { type: 'string' },
    'password-env': { type: 'string' },
    recordings: { type: 'string' },
    socket: { type: 'string' },
    c: { type: 'string', multiple: true },
  },
});
const face = positionals[0];

function need(k: 'listen' | 'cert' | 'key' | 'user' | 'password-env' | 'recordings' | 'socket'): string {
  const v = values[k];
  if (typeof v === 'string') return v;
  process.stderr.write(`standin-nos ${face}: --${k} is required\n`);
  process.exit(2);
}
const recordings = () => JSON.parse(readFileSync(need('recordings'), 'utf8')) as Recordings;

if (face === 'eos' || face === 'srlinux') {
  const password = process.env[need('password-env')];
  if (!password) {
    process.stderr.write(`standin-nos ${face}: ${values['password-env']} is not set\n`);
    process.exit(2);
  }
  const [host, port] = need('listen').split(/:(?=\d+$)/) as [string, string];
  jsonRpcDevice({
    face,
    recordings: recordings(),
    cert: readFileSync(need('cert')),
    key: readFileSync(need('key')),
    user: need('user'),
    password,
  }).listen(Number(port), host, () => process.stdout.write(`listening ${host}:${port}\n`));
} else if (face === 'cluster') {
  const socket = need('socket');
  await listenSocket(clusterApi(recordings() as Parameters<typeof clusterApi>[0]), socket);
  process.stdout.write(`listening ${socket}\n`);
} else if (face === 'vtysh') {
  const r = vtyshAnswer(recordings(), values.c ?? []);
  process.stdout.write(r.stdout);
  process.exitCode = r.exitCode;
} else {
  process.stderr.write('usage: standin-nos eos|srlinux|cluster|vtysh …\n');
  process.exit(2);
}
