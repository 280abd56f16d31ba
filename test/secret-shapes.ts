// Every shape a secret was seen to leak in (issue #19's battery), each with the
// part that must never appear in a report: shared by the redaction unit test and
// the embedded run that plants them.
export const SECRET_SHAPES: Array<{ shape: string; text: string; leak: string }> = [
  {
    shape: 'PEM private key',
    text: '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0pemfull\n-----END PRIVATE KEY-----',
    leak: 'MIIEvQIBADANBgkqhkiG9w0pemfull',
  },
  {
    shape: 'truncated PEM',
    text: '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAtruncatedpem\nQm9ndXNib2d1c2JvZ3Vz',
    leak: 'MIIEowIBAAKCAQEAtruncatedpem',
  },
  {
    shape: 'password: | block',
    text: 'lab:\n  password: |\n    blockscalarsecret\n  user: admin',
    leak: 'blockscalarsecret',
  },
  {
    shape: 'token in a URL',
    text: 'fetched https://ghtokenuser0123@git.example.com/repo.git',
    leak: 'ghtokenuser0123',
  },
  { shape: 'user:password@ URL', text: 'ssh://core:urlpass0123@10.0.0.1:22', leak: 'urlpass0123' },
  { shape: 'API_KEY=', text: 'API_KEY=apikeyvalue0123 ./run', leak: 'apikeyvalue0123' },
  {
    shape: 'AWS_SECRET_ACCESS_KEY=',
    text: 'export AWS_SECRET_ACCESS_KEY="wJalrXUtnFEMIawssecret"',
    leak: 'wJalrXUtnFEMIawssecret',
  },
  {
    shape: 'GitHub token',
    text: 'token ghp_abcdefghijklmnopqrstuvwxyz0123456789 used',
    leak: 'ghp_abcdefghijklmnopqrstuvwxyz0123456789',
  },
  {
    shape: 'kubeadm token',
    text: 'kubeadm join --token abcdef.0123456789abcdef 10.0.0.1:6443',
    leak: 'abcdef.0123456789abcdef',
  },
  {
    shape: 'kubeconfig exec env',
    text:
      'users:\n- name: u\n  user:\n    exec:\n      command: aws\n      env:\n      - name: ' +
      'AWS_PROFILE_KEY\n        value: execenvsecret0123\n',
    leak: 'execenvsecret0123',
  },
  {
    shape: 'kubeconfig token',
    text: 'users:\n- name: u\n  user:\n    token: kubetokensecret0123\n',
    leak: 'kubetokensecret0123',
  },
  {
    shape: 'client-key-data',
    text: '    client-key-data: Y2xpZW50a2V5ZGF0YXNlY3JldA==',
    leak: 'Y2xpZW50a2V5ZGF0YXNlY3JldA==',
  },
  { shape: 'FRR key-string', text: 'key chain k\n key 1\n  key-string frrkeystring0123\n', leak: 'frrkeystring0123' },
  {
    shape: 'ip ospf authentication-key',
    text: 'interface eth1\n ip ospf authentication-key ospfauthkey0\n',
    leak: 'ospfauthkey0',
  },
  { shape: 'message-digest-key', text: ' ip ospf message-digest-key 1 md5 ospfmd5key0123', leak: 'ospfmd5key0123' },
  { shape: 'enable password 8', text: 'enable password 8 $8$enablehash0123', leak: 'enablehash0123' },
  { shape: 'enable secret 5', text: 'enable secret 5 $1$mERr$enablesecrethash', leak: 'enablesecrethash' },
  { shape: 'neighbor password', text: ' neighbor 192.168.11.3 password bgpmd5secret0', leak: 'bgpmd5secret0' },
  { shape: 'bare Bearer', text: 'sent Bearer barebearertoken0123 upstream', leak: 'barebearertoken0123' },
  {
    shape: 'Authorization header',
    text: 'Authorization: Basic YXV0aGhlYWRlcnNlY3JldA==',
    leak: 'YXV0aGhlYWRlcnNlY3JldA==',
  },
  {
    shape: 'JWT',
    text: 'sa eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJqd3RzZWNyZXQifQ.c2lnbmF0dXJlc2VjcmV0 end',
    leak: 'eyJzdWIiOiJqd3RzZWNyZXQifQ',
  },
  { shape: 'JSON password', text: '{"user":"fedora","password":"jsonpasssecret"}', leak: 'jsonpasssecret' },
];
