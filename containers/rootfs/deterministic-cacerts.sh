#!/bin/sh
# deterministic-cacerts.sh ROOTFS - an mmdebstrap customize hook (containers/build.sh): rewrites Java's trust store
# /etc/ssl/certs/java/cacerts so that it is the same bytes on every build.
# Why: ca-certificates-java writes a JKS keystore whose entries carry their creation time (and a PKCS12 one would
# carry a random salt and MAC): two builds of the same packages differed in this one file of 6,080 (measured).
# The same certificates, imported in name order into a PKCS12 store without MAC and without certificate
# encryption (JDK 17's keystore.pkcs12.* properties), give identical bytes (checked twice: same SHA-256).
set -eu
r=$1
mounted=0
if ! mountpoint -q "$r/proc"; then mount -t proc proc "$r/proc"; mounted=1; fi
trap '[ $mounted = 1 ] && umount "$r/proc"' EXIT
rm -f "$r/etc/ssl/certs/java/cacerts" "$r/tmp/cacerts.jks"
(cd "$r/etc/ssl/certs" && ls -- *.pem | LC_ALL=C sort | sed 's|^|+/etc/ssl/certs/|') \
  | chroot "$r" java -Xmx64m -jar /usr/share/ca-certificates-java/ca-certificates-java.jar -storepass changeit >/dev/null
mv "$r/etc/ssl/certs/java/cacerts" "$r/tmp/cacerts.jks"
chroot "$r" keytool -J-Dkeystore.pkcs12.certProtectionAlgorithm=NONE -J-Dkeystore.pkcs12.macAlgorithm=NONE \
  -importkeystore -noprompt -srckeystore /tmp/cacerts.jks -srcstorepass changeit \
  -destkeystore /etc/ssl/certs/java/cacerts -deststoretype PKCS12 -deststorepass changeit >/dev/null 2>&1
rm -f "$r/tmp/cacerts.jks"
test -s "$r/etc/ssl/certs/java/cacerts"
