/**
 * The ACL permissions `gridctl memory` needs, for --help, docs and the NOPERM hint. Key access is
 * read-only (%R~*). ping/info/client|setname are what the connection layer sends on connect;
 * cluster|slots and cluster|nodes only matter on a Cluster, readonly only with --replicas on a
 * Cluster, client|no-touch only exists on Redis 7.2+ (omit it on 7.0, where ACL SETUSER rejects it).
 */
export const MEMORY_ACL_PIPELINE =
  '%R~* +ping +info +client|setname +dbsize +scan +type +pttl +memory|usage +llen +scard +zcard +hlen +xlen +cluster|slots +cluster|nodes +readonly';
export const MEMORY_ACL_SCRIPT = `${MEMORY_ACL_PIPELINE} +eval +evalsha`;
