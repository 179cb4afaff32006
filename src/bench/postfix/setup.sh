#!/usr/bin/env bash
# src/bench/postfix/setup.sh - a private Postfix instance on loopback, set up as listgate's equal
# for src/bench/compare.sh: the same users, the same lists, delivery to Maildirs.
#
#   src/bench/postfix/setup.sh DIR PORT USERS LISTS MAILDIRS        (as root)
#
#   DIR       the instance: DIR/etc (main.cf, master.cf, maps), DIR/spool (queue_directory),
#             DIR/data (data_directory), DIR/mail (Maildirs), DIR/postfix.log
#   PORT      smtpd listens on 127.0.0.1:PORT, nowhere else
#   USERS     listgate's directory.users file: one address a line, all in example.test
#   LISTS     listgate's directory.lists file, one list a line: "name: member, member, ..."
#   MAILDIRS  the Maildirs of the first MAILDIRS users are made now (virtual(8) makes any
#             other on its first delivery); those that exist are kept, files and all
#
# Idempotent: it rewrites the configuration and the maps, adds missing Maildirs, and leaves the
# instance stopped (compare.sh starts it with: postfix -c DIR/etc start). It touches neither
# /etc/postfix nor the system's Postfix, which may run beside it on port 25.
#
# The configuration is Postfix's default but for what makes it listgate's equal:
#   - loopback only (inet_interfaces, inet_protocols = ipv4), no DNS (smtpd_peername_lookup = no)
#   - every outbound transport is error:, so nothing can leave the machine
#   - example.test is a virtual mailbox domain: virtual(8) delivers to DIR/mail/example.test/
#     <local part>/{tmp,new,cur} as uid/gid 5000; the users are virtual_mailbox_maps, the lists
#     virtual_alias_maps (a member that is no user is bounced by virtual(8), one report a message)
#   - virtual_alias_expansion_limit = 200000: the default 1000 refuses the 10,000 and 100,000
#     member lists with 451 4.6.0 (listgate's limits.maxExpansion is 100,000)
#   - smtpd_forbid_bare_newline = normalize with no exclusions (the 3.9 default; 3.7 accepts bare
#     LF and can be made to smuggle), as listgate refuses or normalises bare line ends
#   - the smtpd service may run 1100 processes (default 100) so that 1,000 idle connections and a
#     client are all served; listgate's smtp.maxConnections is raised to the same in compare.sh
#   - loopback clients are treated like the Internet's (no permit_mynetworks); Postfix exempts
#     $mynetworks from its per-client connection limits, and compare.sh does so for listgate
set -euo pipefail

if [[ $# -ne 5 ]]; then
    echo "usage: $0 DIR PORT USERS LISTS MAILDIRS" >&2
    exit 2
fi
dir=$1 port=$2 users=$3 lists=$4 maildirs=$5
domain=example.test
vuid=5000

[[ $(id -u) -eq 0 ]] || { echo "$0: Postfix needs root" >&2; exit 2; }
command -v postfix >/dev/null || { echo "$0: Postfix is not installed" >&2; exit 2; }

mkdir -p "$dir/etc" "$dir/spool" "$dir/data" "$dir/mail/$domain"
chown root:root "$dir" "$dir/etc" "$dir/spool"
chmod 755 "$dir" "$dir/etc" "$dir/spool"
chown postfix:postfix "$dir/data"
chown "$vuid:$vuid" "$dir/mail" "$dir/mail/$domain"

cat > "$dir/etc/main.cf" <<MAINCF
# Written by src/bench/postfix/setup.sh for src/bench/compare.sh: listgate's equal, loopback only.
compatibility_level = 3.6
queue_directory = $dir/spool
data_directory = $dir/data
syslog_name = postfix-compare
maillog_file = $dir/postfix.log
myhostname = mx.$domain
mydomain = $domain
myorigin = $domain
mydestination =
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
smtpd_peername_lookup = no
smtpd_banner = \$myhostname ESMTP \$mail_name
biff = no
append_dot_mydomain = no
alias_maps =
alias_database =
smtpd_relay_restrictions = reject_unauth_destination
smtpd_forbid_bare_newline = normalize
smtpd_forbid_bare_newline_exclusions =
local_transport = error:5.1.1 local delivery disabled by compare.sh
default_transport = error:5.7.1 outbound delivery disabled by compare.sh
relay_transport = error:5.7.1 outbound delivery disabled by compare.sh
virtual_mailbox_domains = $domain
virtual_mailbox_base = $dir/mail
virtual_mailbox_maps = hash:$dir/etc/vmailbox
virtual_alias_maps = hash:$dir/etc/virtual
virtual_uid_maps = static:$vuid
virtual_gid_maps = static:$vuid
virtual_alias_expansion_limit = 200000
MAINCF

# Only the services this configuration uses; no chroot (it would need files copied into it).
cat > "$dir/etc/master.cf" <<MASTERCF
# Written by src/bench/postfix/setup.sh. service type private unpriv chroot wakeup maxproc command
$port      inet  n       -       n       -       1100    smtpd
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
proxywrite unix -       -       n       -       1       proxymap
smtp      unix  -       -       n       -       -       smtp
relay     unix  -       -       n       -       -       smtp
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
local     unix  -       n       n       -       -       local
virtual   unix  -       n       n       -       -       virtual
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
MASTERCF

# The maps, from listgate's own files: a user's Maildir is example.test/<local part>/.
awk -v d="$domain" '!/^[[:space:]]*(#|$)/ { split($1, a, "@"); print $1, d "/" a[1] "/" }' \
    "$users" > "$dir/etc/vmailbox"
awk -v d="$domain" '!/^[[:space:]]*(#|$)/ { name = $1; sub(/:$/, "", name); sub(/^[^:]*:[[:space:]]*/, "");
    print name "@" d, $0 }' "$lists" > "$dir/etc/virtual"
postmap -c "$dir/etc" "hash:$dir/etc/vmailbox"
postmap -c "$dir/etc" "hash:$dir/etc/virtual"

# The Maildirs exist before any run, as on a real site: made as uid 5000, missing ones only
# (recreating them for each run made the anchor's figures drift; see its README).
awk -v b="$dir/mail/$domain" -v n="$maildirs" 'NR <= n && !/^[[:space:]]*(#|$)/ {
        split($1, a, "@"); m = b "/" a[1]; print m "/tmp"; print m "/new"; print m "/cur" }' "$users" \
    | setpriv --reuid="$vuid" --regid="$vuid" --clear-groups xargs -r -n 3000 mkdir -p

postfix -c "$dir/etc" check
echo "postfix $(postconf -c "$dir/etc" -h mail_version): $dir, 127.0.0.1:$port," \
    "$(wc -l < "$dir/etc/vmailbox") mailboxes, $(wc -l < "$dir/etc/virtual") lists"
