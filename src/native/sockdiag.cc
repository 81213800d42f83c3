// Socket listing through netlink sock_diag (what ss uses), and the bulk walk
// of /proc/<pid>/fd that maps socket inodes to their owners.
//
// As everywhere in the addon: no text is parsed here beyond the fixed
// "socket:[N]" link shape; the functions return numbers and bytes in typed
// arrays, and every argument is checked (TypeError/RangeError, never a crash).
//
//   inetDiag(family, protocol, states, ext)      -> InetDiagResult
//   inetDiagAsync(...)                           -> Promise<InetDiagResult>
//   unixDiag(states, show)                       -> UnixDiagResult
//   unixDiagAsync(...)                           -> Promise<UnixDiagResult>
//   socketOwners(procRoot)                       -> SocketOwnersResult
//   socketOwnersAsync(procRoot)                  -> Promise<SocketOwnersResult>
#include "common.h"
#include "modules.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <linux/unix_diag.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <string>
#include <thread>
#include <vector>

namespace ptools {
namespace {

// ------------------------------------------------------------------ netlink

// Fields per inet record, in this order (the TypeScript side names them).
enum InetField {
  kFamily, kState, kTimer, kRetrans, kSport, kDport, kIfindex, kExpires,
  kRqueue, kWqueue, kUid, kInode, kCookieLo, kCookieHi,
  kInfoRetransmits, kInfoProbes, kInfoBackoff,
  kInetStride
};

// Fields per unix record.
enum UnixField {
  kUType, kUState, kUInode, kUPeer, kURqueue, kUWqueue, kUVfsIno, kUVfsDev, kUUid, kUShutdown,
  kUNameOff, kUNameLen,
  kUnixStride
};

struct DiagResult {
  int err = 0;                 // errno of the failure, 0 on success
  const char* syscall = "";    // which step failed
  std::vector<double> nums;
  std::vector<uint8_t> bytes;  // inet: 32 bytes per record; unix: names back to back
  size_t count = 0;
};

class NetlinkSocket {
 public:
  NetlinkSocket() : fd_(socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_SOCK_DIAG)) {}
  ~NetlinkSocket() {
    if (fd_ >= 0) close(fd_);
  }
  int fd() const { return fd_; }

 private:
  int fd_;
};

// Sends one dump request and calls `on_msg(nlmsghdr*)` for each reply until
// NLMSG_DONE. Returns 0 or an errno (the kernel's NLMSG_ERROR included).
template <typename OnMsg>
int DiagDump(const void* req, size_t req_len, DiagResult& r, OnMsg on_msg) {
  NetlinkSocket sock;
  if (sock.fd() < 0) {
    r.syscall = "socket";
    return errno;
  }
  struct sockaddr_nl nladdr;
  memset(&nladdr, 0, sizeof(nladdr));
  nladdr.nl_family = AF_NETLINK;

  struct nlmsghdr nlh;
  memset(&nlh, 0, sizeof(nlh));
  nlh.nlmsg_len = NLMSG_LENGTH(req_len);
  nlh.nlmsg_type = SOCK_DIAG_BY_FAMILY;
  nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
  nlh.nlmsg_seq = 1;

  struct iovec iov[2];
  iov[0].iov_base = &nlh;
  iov[0].iov_len = sizeof(nlh);
  iov[1].iov_base = const_cast<void*>(req);
  iov[1].iov_len = req_len;
  struct msghdr msg;
  memset(&msg, 0, sizeof(msg));
  msg.msg_name = &nladdr;
  msg.msg_namelen = sizeof(nladdr);
  msg.msg_iov = iov;
  msg.msg_iovlen = 2;
  for (;;) {
    if (sendmsg(sock.fd(), &msg, 0) >= 0) break;
    if (errno == EINTR) continue;
    r.syscall = "sendmsg";
    return errno;
  }

  // The kernel fills each reply datagram up to about 32 KiB (or a page); a
  // larger buffer costs nothing and never truncates.
  std::vector<char> buf(1 << 18);
  for (;;) {
    ssize_t n = recv(sock.fd(), buf.data(), buf.size(), 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      r.syscall = "recv";
      return errno;
    }
    if (n == 0) return 0;
    int len = static_cast<int>(n);
    for (struct nlmsghdr* h = reinterpret_cast<struct nlmsghdr*>(buf.data()); NLMSG_OK(h, len); h = NLMSG_NEXT(h, len)) {
      if (h->nlmsg_seq != 1) continue;
      if (h->nlmsg_type == NLMSG_DONE) {
        // A dump may end with an error code in the DONE payload.
        if (h->nlmsg_len >= NLMSG_LENGTH(sizeof(int))) {
          int code = *static_cast<int*>(NLMSG_DATA(h));
          if (code < 0) {
            r.syscall = "sock_diag";
            return -code;
          }
        }
        return 0;
      }
      if (h->nlmsg_type == NLMSG_ERROR) {
        if (h->nlmsg_len < NLMSG_LENGTH(sizeof(struct nlmsgerr))) {
          r.syscall = "sock_diag";
          return EIO;
        }
        const struct nlmsgerr* e = static_cast<const struct nlmsgerr*>(NLMSG_DATA(h));
        if (e->error == 0) continue;  // an ACK
        r.syscall = "sock_diag";
        return -e->error;
      }
      on_msg(h);
    }
  }
}

void DoInetDiag(int family, int protocol, uint32_t states, int ext, DiagResult& r) {
  struct inet_diag_req_v2 req;
  memset(&req, 0, sizeof(req));
  req.sdiag_family = static_cast<__u8>(family);
  req.sdiag_protocol = static_cast<__u8>(protocol);
  req.idiag_ext = static_cast<__u8>(ext);
  req.idiag_states = states;
  r.nums.reserve(1024 * kInetStride);
  r.bytes.reserve(1024 * 32);
  r.err = DiagDump(&req, sizeof(req), r, [&](struct nlmsghdr* h) {
    if (h->nlmsg_type != SOCK_DIAG_BY_FAMILY) return;
    if (h->nlmsg_len < NLMSG_LENGTH(sizeof(struct inet_diag_msg))) return;
    const struct inet_diag_msg* m = static_cast<const struct inet_diag_msg*>(NLMSG_DATA(h));
    double f[kInetStride];
    f[kFamily] = m->idiag_family;
    f[kState] = m->idiag_state;
    f[kTimer] = m->idiag_timer;
    f[kRetrans] = m->idiag_retrans;
    f[kSport] = ntohs(m->id.idiag_sport);
    f[kDport] = ntohs(m->id.idiag_dport);
    f[kIfindex] = m->id.idiag_if;
    f[kExpires] = m->idiag_expires;
    f[kRqueue] = m->idiag_rqueue;
    f[kWqueue] = m->idiag_wqueue;
    f[kUid] = m->idiag_uid;
    f[kInode] = m->idiag_inode;
    f[kCookieLo] = m->id.idiag_cookie[0];
    f[kCookieHi] = m->id.idiag_cookie[1];
    f[kInfoRetransmits] = -1;
    f[kInfoProbes] = -1;
    f[kInfoBackoff] = -1;
    // Attributes: only INET_DIAG_INFO (struct tcp_info) is looked at, for its
    // first bytes: state, ca_state, retransmits, probes, backoff.
    int alen = static_cast<int>(h->nlmsg_len - NLMSG_LENGTH(sizeof(*m)));
    struct rtattr* a = reinterpret_cast<struct rtattr*>(const_cast<struct inet_diag_msg*>(m) + 1);
    for (; RTA_OK(a, alen); a = RTA_NEXT(a, alen)) {
      if (a->rta_type == INET_DIAG_INFO && RTA_PAYLOAD(a) >= 5) {
        const uint8_t* ti = static_cast<const uint8_t*>(RTA_DATA(a));
        f[kInfoRetransmits] = ti[2];
        f[kInfoProbes] = ti[3];
        f[kInfoBackoff] = ti[4];
      }
    }
    r.nums.insert(r.nums.end(), f, f + kInetStride);
    const uint8_t* src = reinterpret_cast<const uint8_t*>(m->id.idiag_src);
    const uint8_t* dst = reinterpret_cast<const uint8_t*>(m->id.idiag_dst);
    r.bytes.insert(r.bytes.end(), src, src + 16);
    r.bytes.insert(r.bytes.end(), dst, dst + 16);
    r.count++;
  });
}

void DoUnixDiag(uint32_t states, uint32_t show, DiagResult& r) {
  struct unix_diag_req req;
  memset(&req, 0, sizeof(req));
  req.sdiag_family = AF_UNIX;
  req.udiag_states = states;
  req.udiag_show = show;
  r.nums.reserve(1024 * kUnixStride);
  r.err = DiagDump(&req, sizeof(req), r, [&](struct nlmsghdr* h) {
    if (h->nlmsg_type != SOCK_DIAG_BY_FAMILY) return;
    if (h->nlmsg_len < NLMSG_LENGTH(sizeof(struct unix_diag_msg))) return;
    const struct unix_diag_msg* m = static_cast<const struct unix_diag_msg*>(NLMSG_DATA(h));
    double f[kUnixStride];
    f[kUType] = m->udiag_type;
    f[kUState] = m->udiag_state;
    f[kUInode] = m->udiag_ino;
    for (int k = kUPeer; k < kUnixStride; k++) f[k] = -1;
    int alen = static_cast<int>(h->nlmsg_len - NLMSG_LENGTH(sizeof(*m)));
    struct rtattr* a = reinterpret_cast<struct rtattr*>(const_cast<struct unix_diag_msg*>(m) + 1);
    for (; RTA_OK(a, alen); a = RTA_NEXT(a, alen)) {
      const uint8_t* d = static_cast<const uint8_t*>(RTA_DATA(a));
      size_t plen = RTA_PAYLOAD(a);
      switch (a->rta_type) {
        case UNIX_DIAG_NAME:
          f[kUNameOff] = static_cast<double>(r.bytes.size());
          f[kUNameLen] = static_cast<double>(plen);
          r.bytes.insert(r.bytes.end(), d, d + plen);
          break;
        case UNIX_DIAG_VFS:
          if (plen >= sizeof(struct unix_diag_vfs)) {
            const struct unix_diag_vfs* v = reinterpret_cast<const struct unix_diag_vfs*>(d);
            f[kUVfsIno] = v->udiag_vfs_ino;
            f[kUVfsDev] = v->udiag_vfs_dev;
          }
          break;
        case UNIX_DIAG_PEER:
          if (plen >= 4) f[kUPeer] = *reinterpret_cast<const uint32_t*>(d);
          break;
        case UNIX_DIAG_RQLEN:
          if (plen >= sizeof(struct unix_diag_rqlen)) {
            const struct unix_diag_rqlen* q = reinterpret_cast<const struct unix_diag_rqlen*>(d);
            f[kURqueue] = q->udiag_rqueue;
            f[kUWqueue] = q->udiag_wqueue;
          }
          break;
        case UNIX_DIAG_SHUTDOWN:
          if (plen >= 1) f[kUShutdown] = d[0];
          break;
#ifdef UNIX_DIAG_UID
        case UNIX_DIAG_UID:
          if (plen >= 4) f[kUUid] = *reinterpret_cast<const uint32_t*>(d);
          break;
#endif
        default:
          break;
      }
    }
    r.nums.insert(r.nums.end(), f, f + kUnixStride);
    r.count++;
  });
}

Napi::Object DiagToJs(Napi::Env env, DiagResult& r, size_t stride, const char* bytes_key) {
  Napi::Object o = Napi::Object::New(env);
  o.Set("count", Napi::Number::New(env, static_cast<double>(r.count)));
  o.Set("stride", Napi::Number::New(env, static_cast<double>(stride)));
  Napi::Float64Array nums = Napi::Float64Array::New(env, r.nums.size());
  if (!r.nums.empty()) memcpy(nums.Data(), r.nums.data(), r.nums.size() * sizeof(double));
  o.Set("nums", nums);
  o.Set(bytes_key, Napi::Buffer<uint8_t>::Copy(env, r.bytes.data(), r.bytes.size()));
  return o;
}

struct InetArgs {
  int family;
  int protocol;
  uint32_t states;
  int ext;
};

InetArgs ParseInetArgs(const Napi::CallbackInfo& info) {
  InetArgs a;
  a.family = static_cast<int>(ArgInt(info, 0, "family", 0, 255));
  if (a.family != AF_INET && a.family != AF_INET6)
    throw Napi::RangeError::New(info.Env(), "family must be AF_INET (2) or AF_INET6 (10)");
  a.protocol = static_cast<int>(ArgInt(info, 1, "protocol", 0, 255));
  a.states = static_cast<uint32_t>(ArgInt(info, 2, "states", 0, 0xffffffffLL));
  a.ext = 0;
  if (info.Length() > 3 && !info[3].IsUndefined()) a.ext = static_cast<int>(ArgInt(info, 3, "ext", 0, 255));
  return a;
}

Napi::Value InetDiag(const Napi::CallbackInfo& info) {
  InetArgs a = ParseInetArgs(info);
  DiagResult r;
  DoInetDiag(a.family, a.protocol, a.states, a.ext, r);
  if (r.err) throw ErrnoError(info.Env(), r.err, r.syscall);
  return DiagToJs(info.Env(), r, kInetStride, "addrs");
}

struct UnixArgs {
  uint32_t states;
  uint32_t show;
};

UnixArgs ParseUnixArgs(const Napi::CallbackInfo& info) {
  UnixArgs a;
  a.states = static_cast<uint32_t>(ArgInt(info, 0, "states", 0, 0xffffffffLL));
  a.show = static_cast<uint32_t>(ArgInt(info, 1, "show", 0, 0xffffffffLL));
  return a;
}

Napi::Value UnixDiag(const Napi::CallbackInfo& info) {
  UnixArgs a = ParseUnixArgs(info);
  DiagResult r;
  DoUnixDiag(a.states, a.show, r);
  if (r.err) throw ErrnoError(info.Env(), r.err, r.syscall);
  return DiagToJs(info.Env(), r, kUnixStride, "names");
}

class DiagWorker : public Napi::AsyncWorker {
 public:
  DiagWorker(Napi::Env env, bool unix_kind, InetArgs inet, UnixArgs ux)
      : Napi::AsyncWorker(env), deferred_(Napi::Promise::Deferred::New(env)), unix_(unix_kind), inet_(inet), ux_(ux) {}
  Napi::Promise Promise() { return deferred_.Promise(); }
  void Execute() override {
    if (unix_) DoUnixDiag(ux_.states, ux_.show, r_);
    else DoInetDiag(inet_.family, inet_.protocol, inet_.states, inet_.ext, r_);
  }
  void OnOK() override {
    if (r_.err) deferred_.Reject(ErrnoError(Env(), r_.err, r_.syscall).Value());
    else deferred_.Resolve(unix_ ? DiagToJs(Env(), r_, kUnixStride, "names") : DiagToJs(Env(), r_, kInetStride, "addrs"));
  }
  void OnError(const Napi::Error& e) override { deferred_.Reject(e.Value()); }

 private:
  Napi::Promise::Deferred deferred_;
  bool unix_;
  InetArgs inet_;
  UnixArgs ux_;
  DiagResult r_;
};

Napi::Value InetDiagAsync(const Napi::CallbackInfo& info) {
  InetArgs a = ParseInetArgs(info);
  auto* w = new DiagWorker(info.Env(), false, a, UnixArgs{0, 0});
  Napi::Promise p = w->Promise();
  w->Queue();
  return p;
}

Napi::Value UnixDiagAsync(const Napi::CallbackInfo& info) {
  UnixArgs a = ParseUnixArgs(info);
  auto* w = new DiagWorker(info.Env(), true, InetArgs{0, 0, 0, 0}, a);
  Napi::Promise p = w->Promise();
  w->Queue();
  return p;
}

// ------------------------------------------------------------------ owners

struct OwnersResult {
  int err = 0;
  std::vector<double> inodes;
  std::vector<int32_t> pids;
  std::vector<int32_t> fds;
  std::vector<int32_t> denied;  // pids whose fd directory could not be opened (EACCES/EPERM)
  size_t scanned = 0;           // processes whose fd directory was read
};

bool AllDigits(const char* s) {
  if (*s == '\0') return false;
  for (; *s; s++)
    if (*s < '0' || *s > '9') return false;
  return true;
}

// "socket:[12345]" (or the old "[0000]:12345") -> inode; -1 otherwise.
double SocketInode(const char* link, ssize_t n) {
  const char* p;
  const char* end = link + n;
  if (n > 9 && memcmp(link, "socket:[", 8) == 0 && link[n - 1] == ']') {
    p = link + 8;
    end = link + n - 1;
  } else if (n > 7 && memcmp(link, "[0000]:", 7) == 0) {
    p = link + 7;
  } else {
    return -1;
  }
  if (p == end) return -1;
  double v = 0;
  for (; p < end; p++) {
    if (*p < '0' || *p > '9') return -1;
    v = v * 10 + (*p - '0');
  }
  return v;
}

struct PidOwners {
  long pid = 0;
  bool denied = false;
  bool scanned = false;
  std::vector<double> inodes;
  std::vector<int32_t> fds;
};

void ScanPid(const std::string& root, PidOwners& p) {
  std::string path = root + "/" + std::to_string(p.pid) + "/fd";
  int dfd = open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd < 0) {
    p.denied = errno == EACCES || errno == EPERM;
    return;
  }
  DIR* fdd = fdopendir(dfd);
  if (fdd == nullptr) {
    close(dfd);
    return;
  }
  p.scanned = true;
  char link[64];
  struct dirent* fe;
  while ((fe = readdir(fdd)) != nullptr) {
    if (!AllDigits(fe->d_name)) continue;
    ssize_t n = readlinkat(dfd, fe->d_name, link, sizeof(link) - 1);
    if (n < 0) continue;
    link[n] = '\0';
    double inode = SocketInode(link, n);
    if (inode < 0) continue;
    p.inodes.push_back(inode);
    p.fds.push_back(static_cast<int32_t>(strtol(fe->d_name, nullptr, 10)));
  }
  closedir(fdd);  // closes dfd
}

// One pass over <root>/<pid>/fd: readlinkat on every fd, in readdir order of
// the pids (ascending on Linux) and of the fds. Processes that vanish are
// skipped silently; fd directories we may not open are counted in `denied`.
// The readlinks are the cost (the kernel builds each link's text), so the
// pids are shared among a few threads; results keep the pids' order.
void DoSocketOwners(const std::string& root, OwnersResult& r) {
  DIR* proc = opendir(root.c_str());
  if (proc == nullptr) {
    r.err = errno;
    return;
  }
  std::vector<PidOwners> pids;
  struct dirent* de;
  while ((de = readdir(proc)) != nullptr) {
    if (!AllDigits(de->d_name)) continue;
    PidOwners p;
    p.pid = strtol(de->d_name, nullptr, 10);
    pids.push_back(std::move(p));
  }
  closedir(proc);

  unsigned hw = std::thread::hardware_concurrency();
  size_t nthreads = std::min<size_t>(hw == 0 ? 1 : hw, 4);
  if (pids.size() < 32) nthreads = 1;
  std::atomic<size_t> next(0);
  auto worker = [&]() {
    for (size_t i = next.fetch_add(1); i < pids.size(); i = next.fetch_add(1)) ScanPid(root, pids[i]);
  };
  std::vector<std::thread> threads;
  for (size_t t = 1; t < nthreads; t++) {
    try {
      threads.emplace_back(worker);
    } catch (...) {
      break;  // no thread: the others (and this one) do the work
    }
  }
  worker();
  for (std::thread& t : threads) t.join();

  for (const PidOwners& p : pids) {
    if (p.denied) r.denied.push_back(static_cast<int32_t>(p.pid));
    if (p.scanned) r.scanned++;
    for (size_t k = 0; k < p.inodes.size(); k++) {
      r.inodes.push_back(p.inodes[k]);
      r.pids.push_back(static_cast<int32_t>(p.pid));
      r.fds.push_back(p.fds[k]);
    }
  }
}

Napi::Object OwnersToJs(Napi::Env env, OwnersResult& r) {
  Napi::Object o = Napi::Object::New(env);
  size_t n = r.inodes.size();
  Napi::Float64Array inodes = Napi::Float64Array::New(env, n);
  Napi::Int32Array pids = Napi::Int32Array::New(env, n);
  Napi::Int32Array fds = Napi::Int32Array::New(env, n);
  if (n) {
    memcpy(inodes.Data(), r.inodes.data(), n * sizeof(double));
    memcpy(pids.Data(), r.pids.data(), n * sizeof(int32_t));
    memcpy(fds.Data(), r.fds.data(), n * sizeof(int32_t));
  }
  Napi::Int32Array denied = Napi::Int32Array::New(env, r.denied.size());
  if (!r.denied.empty()) memcpy(denied.Data(), r.denied.data(), r.denied.size() * sizeof(int32_t));
  o.Set("inodes", inodes);
  o.Set("pids", pids);
  o.Set("fds", fds);
  o.Set("denied", denied);
  o.Set("scanned", Napi::Number::New(env, static_cast<double>(r.scanned)));
  return o;
}

Napi::Value SocketOwners(const Napi::CallbackInfo& info) {
  std::string root = ArgString(info, 0, "procRoot");
  OwnersResult r;
  DoSocketOwners(root, r);
  if (r.err) throw ErrnoError(info.Env(), r.err, "opendir", root);
  return OwnersToJs(info.Env(), r);
}

class OwnersWorker : public Napi::AsyncWorker {
 public:
  OwnersWorker(Napi::Env env, std::string root)
      : Napi::AsyncWorker(env), deferred_(Napi::Promise::Deferred::New(env)), root_(std::move(root)) {}
  Napi::Promise Promise() { return deferred_.Promise(); }
  void Execute() override { DoSocketOwners(root_, r_); }
  void OnOK() override {
    if (r_.err) deferred_.Reject(ErrnoError(Env(), r_.err, "opendir", root_).Value());
    else deferred_.Resolve(OwnersToJs(Env(), r_));
  }
  void OnError(const Napi::Error& e) override { deferred_.Reject(e.Value()); }

 private:
  Napi::Promise::Deferred deferred_;
  std::string root_;
  OwnersResult r_;
};

Napi::Value SocketOwnersAsync(const Napi::CallbackInfo& info) {
  std::string root = ArgString(info, 0, "procRoot");
  auto* w = new OwnersWorker(info.Env(), std::move(root));
  Napi::Promise p = w->Promise();
  w->Queue();
  return p;
}

}  // namespace

void InitSockDiag(Napi::Env env, Napi::Object exports) {
  exports.Set("inetDiag", Napi::Function::New(env, InetDiag, "inetDiag"));
  exports.Set("inetDiagAsync", Napi::Function::New(env, InetDiagAsync, "inetDiagAsync"));
  exports.Set("unixDiag", Napi::Function::New(env, UnixDiag, "unixDiag"));
  exports.Set("unixDiagAsync", Napi::Function::New(env, UnixDiagAsync, "unixDiagAsync"));
  exports.Set("socketOwners", Napi::Function::New(env, SocketOwners, "socketOwners"));
  exports.Set("socketOwnersAsync", Napi::Function::New(env, SocketOwnersAsync, "socketOwnersAsync"));
}

}  // namespace ptools
