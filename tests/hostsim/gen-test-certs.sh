#!/bin/bash
# Test PKI for the TLS tests, generated at test time (no private key is
# ever committed):  gen-test-certs.sh DIR
#   ca.pem            test CA (signs the two below)
#   server.pem/.key   CN=localhost, SAN DNS:localhost, IP:127.0.0.1
#   client.pem/.key   a terminal's client certificate
#   other-ca.pem      an unrelated CA (for "unknown issuer" tests)
# Keys are P-256: fast to make, fine for TLS 1.2/1.3.
set -eu
dir=$1
mkdir -p "$dir"
cd "$dir"
[ -s other-ca.pem ] && exit 0
key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }

key ca.key
openssl req -x509 -new -key ca.key -subj "/CN=paycard test CA" -days 2 \
	-addext basicConstraints=critical,CA:TRUE \
	-addext keyUsage=critical,keyCertSign,cRLSign -out ca.pem
key other-ca.key
openssl req -x509 -new -key other-ca.key -subj "/CN=unrelated CA" -days 2 \
	-addext basicConstraints=critical,CA:TRUE -out other-ca.pem

leaf() {	# NAME SUBJECT EXTENSIONS
	key "$1.key"
	openssl req -new -key "$1.key" -subj "$2" -out "$1.csr"
	printf '%s\n' "$3" >"$1.ext"
	openssl x509 -req -in "$1.csr" -CA ca.pem -CAkey ca.key -CAcreateserial \
		-days 2 -extfile "$1.ext" -out "$1.pem" 2>/dev/null
	rm -f "$1.csr" "$1.ext"
}
leaf server "/CN=localhost" "subjectAltName=DNS:localhost,IP:127.0.0.1
extendedKeyUsage=serverAuth"
leaf client "/CN=terminal 12345678" "extendedKeyUsage=clientAuth"
chmod 600 ./*.key
