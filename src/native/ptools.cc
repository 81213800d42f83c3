// ptools native collector: the syscalls Node lacks, and bulk reads of /proc.
//
// Rules (see ARCHITECTURE.md): no text is parsed here. Functions return bytes,
// numbers and errno; every argument is checked and a wrong type raises a
// TypeError; an errno raises an Error carrying code, errno (negative, as in
// Node's fs errors), syscall and, where one was involved, path.
#include <napi.h>

#include "common.h"
#include "modules.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <ifaddrs.h>
#include <linux/ethtool.h>
#include <linux/if_packet.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <pwd.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <unistd.h>

#include <string>
#include <vector>

namespace {

using ptools::ArgInt;
using ptools::ArgString;
using ptools::ErrnoError;
using ptools::IsIntIn;
using ptools::ReserveFor;
using ptools::ErrnoName;
using ptools::ThrowType;

int ArgPid(const Napi::CallbackInfo& info, size_t i) {
  return static_cast<int>(ArgInt(info, i, "pid", 0, 0x7fffffff));
}

// ---------------------------------------------------------------- reading files

// Reads a whole file with as few read() calls as the kernel allows. /proc
// files are generated per read(), so one large read gives a consistent
// snapshot; when the buffer fills we grow it and read again from offset 0.
int ReadWhole(const char* path, std::vector<char>& buf, size_t hint, ssize_t* out_len) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return errno;
  size_t cap = hint < 4096 ? 4096 : hint;
  for (;;) {
    if (buf.size() < cap) buf.resize(cap);
    size_t got = 0;
    for (;;) {
      ssize_t n = pread(fd, buf.data() + got, cap - got, static_cast<off_t>(got));
      if (n < 0) {
        if (errno == EINTR) continue;
        int err = errno;
        close(fd);
        return err;
      }
      if (n == 0) break;
      got += static_cast<size_t>(n);
      if (got == cap) break;
      // Regular files may return short reads; /proc files return one record
      // batch per read. Keep reading until EOF either way.
    }
    if (got < cap) {
      close(fd);
      *out_len = static_cast<ssize_t>(got);
      return 0;
    }
    if (cap >= (static_cast<size_t>(1) << 30)) {
      close(fd);
      return EFBIG;
    }
    cap *= 4;
  }
}

Napi::Value ReadFile(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string path = ArgString(info, 0, "path");
  size_t hint = 0;
  if (info.Length() > 1 && !info[1].IsUndefined())
    hint = static_cast<size_t>(ArgInt(info, 1, "sizeHint", 0, 1 << 30));
  // The hint only sizes the first read; the buffer grows as needed, so a huge
  // hint must not cost memory up front.
  if (hint > (16u << 20)) hint = 16u << 20;
  std::vector<char> buf;
  ssize_t len = 0;
  int err = ReadWhole(path.c_str(), buf, hint ? hint : 65536, &len);
  if (err) throw ErrnoError(env, err, "read", path);
  return Napi::Buffer<char>::Copy(env, buf.data(), static_cast<size_t>(len));
}

std::vector<std::string> ArgStringArray(const Napi::CallbackInfo& info, size_t i, const char* what) {
  if (info.Length() <= i || !info[i].IsArray()) ThrowType(info.Env(), std::string(what) + " must be an array of strings");
  Napi::Array arr = info[i].As<Napi::Array>();
  std::vector<std::string> out;
  out.reserve(ReserveFor(arr.Length()));
  for (uint32_t k = 0; k < arr.Length(); k++) {
    Napi::Value v = arr.Get(k);
    if (!v.IsString()) ThrowType(info.Env(), std::string(what) + " must be an array of strings");
    std::string s = v.As<Napi::String>().Utf8Value();
    if (s.find('\0') != std::string::npos) ThrowType(info.Env(), std::string(what) + " must not contain NUL bytes");
    out.push_back(std::move(s));
  }
  return out;
}

std::vector<int> ArgPidArray(const Napi::CallbackInfo& info, size_t i) {
  if (info.Length() <= i || !info[i].IsArray()) ThrowType(info.Env(), "pids must be an array of integers");
  Napi::Array arr = info[i].As<Napi::Array>();
  std::vector<int> out;
  out.reserve(ReserveFor(arr.Length()));
  for (uint32_t k = 0; k < arr.Length(); k++) {
    Napi::Value v = arr.Get(k);
    if (!v.IsNumber()) ThrowType(info.Env(), "pids must be an array of integers");
    double d = v.As<Napi::Number>().DoubleValue();
    if (!IsIntIn(d, 0, 0x7fffffff)) throw Napi::RangeError::New(info.Env(), "pids must be non-negative integers");
    out.push_back(static_cast<int>(d));
  }
  return out;
}

// Result of a bulk read: one contiguous byte area, and for each slot a start
// offset and a length; a negative length is -errno for that slot.
struct BulkResult {
  std::vector<char> data;
  std::vector<double> slots;  // pairs (offset, length or -errno)
  std::vector<double> uids;   // owner uid per pid (-1 when unknown), optional
};

void DoReadFiles(const std::vector<std::string>& paths, BulkResult& r) {
  std::vector<char> buf;
  r.slots.reserve(ReserveFor(paths.size(), 1 << 16) * 2);
  for (const std::string& p : paths) {
    ssize_t len = 0;
    int err = ReadWhole(p.c_str(), buf, 16384, &len);
    r.slots.push_back(static_cast<double>(r.data.size()));
    if (err) {
      r.slots.push_back(-static_cast<double>(err));
    } else {
      r.data.insert(r.data.end(), buf.data(), buf.data() + len);
      r.slots.push_back(static_cast<double>(len));
    }
  }
}

void DoReadProc(const std::string& root, const std::vector<int>& pids,
                const std::vector<std::string>& names, bool want_uid, BulkResult& r) {
  std::vector<char> buf;
  std::string path;
  // (reserved for at most 64k slots: pids × names may be too large to reserve at once)
  r.slots.reserve(ReserveFor(static_cast<uint64_t>(pids.size()) * names.size(), 1 << 16) * 2);
  if (want_uid) r.uids.reserve(pids.size());
  for (int pid : pids) {
    std::string dir = root + "/" + std::to_string(pid);
    if (want_uid) {
      struct stat st;
      r.uids.push_back(stat(dir.c_str(), &st) == 0 ? static_cast<double>(st.st_uid) : -static_cast<double>(errno) - 1e9);
    }
    for (const std::string& name : names) {
      path = dir + "/" + name;
      ssize_t len = 0;
      int err = ReadWhole(path.c_str(), buf, 16384, &len);
      r.slots.push_back(static_cast<double>(r.data.size()));
      if (err) {
        r.slots.push_back(-static_cast<double>(err));
      } else {
        r.data.insert(r.data.end(), buf.data(), buf.data() + len);
        r.slots.push_back(static_cast<double>(len));
      }
    }
  }
}

// `into`: a caller's Buffer to reuse. When the bytes fit, they are copied
// into it and the result says how many ("length"), without a "data": a
// caller looping synchronously then allocates nothing per scan.
Napi::Object BulkToJs(Napi::Env env, BulkResult& r, Napi::Value into = Napi::Value()) {
  Napi::Object o = Napi::Object::New(env);
  if (!into.IsEmpty() && into.IsBuffer()) {
    Napi::Buffer<char> b = into.As<Napi::Buffer<char>>();
    if (b.Length() >= r.data.size()) {
      if (!r.data.empty()) memcpy(b.Data(), r.data.data(), r.data.size());
      o.Set("length", Napi::Number::New(env, static_cast<double>(r.data.size())));
      into = Napi::Value();
    }
  }
  // Copy the bytes into a Buffer that V8's garbage collector owns. An
  // external Buffer (handing our vector over) would be freed only by a
  // finalizer that Node runs when the event loop turns, so a caller looping
  // synchronously (a script, the sampler) would pile up every scan's bytes.
  // The copy is a memcpy of a few hundred KiB per scan.
  if (!o.Has("length"))
    o.Set("data", r.data.empty() ? Napi::Buffer<char>::New(env, 0) : Napi::Buffer<char>::Copy(env, r.data.data(), r.data.size()));
  Napi::Float64Array slots = Napi::Float64Array::New(env, r.slots.size());
  for (size_t k = 0; k < r.slots.size(); k++) slots[k] = r.slots[k];
  o.Set("slots", slots);
  if (!r.uids.empty()) {
    Napi::Float64Array uids = Napi::Float64Array::New(env, r.uids.size());
    for (size_t k = 0; k < r.uids.size(); k++) uids[k] = r.uids[k] < -1e8 ? -1 : r.uids[k];
    o.Set("uids", uids);
  }
  return o;
}

Napi::Value ReadFiles(const Napi::CallbackInfo& info) {
  std::vector<std::string> paths = ArgStringArray(info, 0, "paths");
  BulkResult r;
  DoReadFiles(paths, r);
  return BulkToJs(info.Env(), r);
}

Napi::Value ReadProc(const Napi::CallbackInfo& info) {
  std::string root = ArgString(info, 0, "root");
  std::vector<int> pids = ArgPidArray(info, 1);
  std::vector<std::string> names = ArgStringArray(info, 2, "names");
  for (const std::string& n : names)
    if (n.find("..") != std::string::npos) ThrowType(info.Env(), "names must not contain '..'");
  bool want_uid = info.Length() > 3 && info[3].ToBoolean().Value();
  Napi::Value into;
  if (info.Length() > 4 && !info[4].IsUndefined()) {
    if (!info[4].IsBuffer()) ThrowType(info.Env(), "into must be a Buffer");
    into = info[4];
  }
  BulkResult r;
  DoReadProc(root, pids, names, want_uid, r);
  return BulkToJs(info.Env(), r, into);
}

// The all-digit entries of a directory (/proc, /proc/PID/task) in the order
// the kernel lists them, as numbers. Nothing is stat'ed: an entry whose
// process exits while the directory is being read is still listed (its
// reads then fail and the caller leaves it out). Names too long for a pid
// are skipped.
Napi::Value ListNumeric(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string path = ArgString(info, 0, "path");
  DIR* d = opendir(path.c_str());
  if (d == nullptr) throw ErrnoError(env, errno, "opendir", path);
  std::vector<double> out;
  for (;;) {
    errno = 0;
    struct dirent* e = readdir(d);
    if (e == nullptr) {
      int err = errno;
      closedir(d);
      if (err) throw ErrnoError(env, err, "readdir", path);
      break;
    }
    const char* n = e->d_name;
    if (n[0] < '0' || n[0] > '9') continue;
    double v = 0;
    size_t k = 0;
    for (; n[k] >= '0' && n[k] <= '9' && k < 16; k++) v = v * 10 + (n[k] - '0');
    if (n[k] != '\0') continue;
    out.push_back(v);
  }
  Napi::Array a = Napi::Array::New(env, out.size());
  for (size_t k = 0; k < out.size(); k++) a.Set(static_cast<uint32_t>(k), Napi::Number::New(env, out[k]));
  return a;
}

class ReadWorker : public Napi::AsyncWorker {
 public:
  ReadWorker(Napi::Env env, std::string root, std::vector<int> pids, std::vector<std::string> names,
             std::vector<std::string> paths, bool want_uid, bool proc)
      : Napi::AsyncWorker(env), deferred_(Napi::Promise::Deferred::New(env)), root_(std::move(root)),
        pids_(std::move(pids)), names_(std::move(names)), paths_(std::move(paths)), want_uid_(want_uid), proc_(proc) {}
  Napi::Promise Promise() { return deferred_.Promise(); }
  void Execute() override {
    if (proc_) DoReadProc(root_, pids_, names_, want_uid_, r_);
    else DoReadFiles(paths_, r_);
  }
  void OnOK() override { deferred_.Resolve(BulkToJs(Env(), r_)); }
  void OnError(const Napi::Error& e) override { deferred_.Reject(e.Value()); }

 private:
  Napi::Promise::Deferred deferred_;
  std::string root_;
  std::vector<int> pids_;
  std::vector<std::string> names_;
  std::vector<std::string> paths_;
  bool want_uid_;
  bool proc_;
  BulkResult r_;
};

Napi::Value ReadFilesAsync(const Napi::CallbackInfo& info) {
  std::vector<std::string> paths = ArgStringArray(info, 0, "paths");
  auto* w = new ReadWorker(info.Env(), "", {}, {}, std::move(paths), false, false);
  Napi::Promise p = w->Promise();
  w->Queue();
  return p;
}

Napi::Value ReadProcAsync(const Napi::CallbackInfo& info) {
  std::string root = ArgString(info, 0, "root");
  std::vector<int> pids = ArgPidArray(info, 1);
  std::vector<std::string> names = ArgStringArray(info, 2, "names");
  for (const std::string& n : names)
    if (n.find("..") != std::string::npos) ThrowType(info.Env(), "names must not contain '..'");
  bool want_uid = info.Length() > 3 && info[3].ToBoolean().Value();
  auto* w = new ReadWorker(info.Env(), std::move(root), std::move(pids), std::move(names), {}, want_uid, true);
  Napi::Promise p = w->Promise();
  w->Queue();
  return p;
}

// ---------------------------------------------------------------- sysconf

Napi::Value Sysconf(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Object o = Napi::Object::New(env);
  o.Set("clockTicks", Napi::Number::New(env, static_cast<double>(sysconf(_SC_CLK_TCK))));
  o.Set("pageSize", Napi::Number::New(env, static_cast<double>(sysconf(_SC_PAGESIZE))));
  o.Set("nprocessorsConf", Napi::Number::New(env, static_cast<double>(sysconf(_SC_NPROCESSORS_CONF))));
  o.Set("nprocessorsOnln", Napi::Number::New(env, static_cast<double>(sysconf(_SC_NPROCESSORS_ONLN))));
  return o;
}

// ---------------------------------------------------------------- statvfs

struct StatvfsOut {
  struct statvfs st;
  int err = 0;
};

Napi::Object StatvfsToJs(Napi::Env env, const struct statvfs& st) {
  Napi::Object o = Napi::Object::New(env);
  o.Set("bsize", Napi::Number::New(env, static_cast<double>(st.f_bsize)));
  o.Set("frsize", Napi::Number::New(env, static_cast<double>(st.f_frsize)));
  o.Set("blocks", Napi::Number::New(env, static_cast<double>(st.f_blocks)));
  o.Set("bfree", Napi::Number::New(env, static_cast<double>(st.f_bfree)));
  o.Set("bavail", Napi::Number::New(env, static_cast<double>(st.f_bavail)));
  o.Set("files", Napi::Number::New(env, static_cast<double>(st.f_files)));
  o.Set("ffree", Napi::Number::New(env, static_cast<double>(st.f_ffree)));
  o.Set("favail", Napi::Number::New(env, static_cast<double>(st.f_favail)));
  o.Set("flag", Napi::Number::New(env, static_cast<double>(st.f_flag)));
  o.Set("namemax", Napi::Number::New(env, static_cast<double>(st.f_namemax)));
  return o;
}

Napi::Value Statvfs(const Napi::CallbackInfo& info) {
  std::string path = ArgString(info, 0, "path");
  struct statvfs st;
  if (statvfs(path.c_str(), &st) != 0) throw ErrnoError(info.Env(), errno, "statvfs", path);
  return StatvfsToJs(info.Env(), st);
}

class StatvfsWorker : public Napi::AsyncWorker {
 public:
  StatvfsWorker(Napi::Env env, std::string path)
      : Napi::AsyncWorker(env), deferred_(Napi::Promise::Deferred::New(env)), path_(std::move(path)) {}
  Napi::Promise Promise() { return deferred_.Promise(); }
  void Execute() override {
    if (statvfs(path_.c_str(), &st_) != 0) err_ = errno;
  }
  void OnOK() override {
    if (err_) deferred_.Reject(ErrnoError(Env(), err_, "statvfs", path_).Value());
    else deferred_.Resolve(StatvfsToJs(Env(), st_));
  }

 private:
  Napi::Promise::Deferred deferred_;
  std::string path_;
  struct statvfs st_;
  int err_ = 0;
};

Napi::Value StatvfsAsync(const Napi::CallbackInfo& info) {
  std::string path = ArgString(info, 0, "path");
  auto* w = new StatvfsWorker(info.Env(), std::move(path));
  Napi::Promise p = w->Promise();
  w->Queue();
  return p;
}

// ---------------------------------------------------------------- network

Napi::Value SockaddrToJs(Napi::Env env, const struct sockaddr* sa) {
  if (sa == nullptr) return env.Null();
  char buf[INET6_ADDRSTRLEN + 1];
  if (sa->sa_family == AF_INET) {
    const auto* in = reinterpret_cast<const struct sockaddr_in*>(sa);
    if (inet_ntop(AF_INET, &in->sin_addr, buf, sizeof buf) == nullptr) return env.Null();
    return Napi::String::New(env, buf);
  }
  if (sa->sa_family == AF_INET6) {
    const auto* in6 = reinterpret_cast<const struct sockaddr_in6*>(sa);
    if (inet_ntop(AF_INET6, &in6->sin6_addr, buf, sizeof buf) == nullptr) return env.Null();
    return Napi::String::New(env, buf);
  }
  if (sa->sa_family == AF_PACKET) {
    const auto* ll = reinterpret_cast<const struct sockaddr_ll*>(sa);
    size_t n = ll->sll_halen;
    if (n > sizeof ll->sll_addr) n = sizeof ll->sll_addr;
    return Napi::Buffer<unsigned char>::Copy(env, ll->sll_addr, n);
  }
  return env.Null();
}

Napi::Value GetIfAddrs(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  struct ifaddrs* head = nullptr;
  if (getifaddrs(&head) != 0) throw ErrnoError(env, errno, "getifaddrs");
  Napi::Array out = Napi::Array::New(env);
  uint32_t k = 0;
  for (struct ifaddrs* ifa = head; ifa != nullptr; ifa = ifa->ifa_next) {
    Napi::Object o = Napi::Object::New(env);
    o.Set("name", Napi::String::New(env, ifa->ifa_name ? ifa->ifa_name : ""));
    o.Set("flags", Napi::Number::New(env, ifa->ifa_flags));
    int family = ifa->ifa_addr ? ifa->ifa_addr->sa_family : -1;
    o.Set("family", Napi::Number::New(env, family));
    o.Set("address", SockaddrToJs(env, ifa->ifa_addr));
    o.Set("netmask", SockaddrToJs(env, ifa->ifa_netmask));
    o.Set("broadcast", (ifa->ifa_flags & IFF_BROADCAST) ? SockaddrToJs(env, ifa->ifa_broadaddr) : env.Null());
    o.Set("ptp", (ifa->ifa_flags & IFF_POINTOPOINT) ? SockaddrToJs(env, ifa->ifa_dstaddr) : env.Null());
    if (family == AF_INET6) {
      const auto* in6 = reinterpret_cast<const struct sockaddr_in6*>(ifa->ifa_addr);
      o.Set("scopeId", Napi::Number::New(env, in6->sin6_scope_id));
    }
    out.Set(k++, o);
  }
  freeifaddrs(head);
  return out;
}

// mtu, flags, and (via ethtool) speed/duplex of one interface.
Napi::Value IfStats(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string name = ArgString(info, 0, "name");
  if (name.empty() || name.size() >= IFNAMSIZ) throw Napi::RangeError::New(env, "name must be 1 to 15 bytes");
  int sock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (sock < 0) throw ErrnoError(env, errno, "socket");
  struct ifreq ifr;
  memset(&ifr, 0, sizeof ifr);
  strncpy(ifr.ifr_name, name.c_str(), IFNAMSIZ - 1);
  if (ioctl(sock, SIOCGIFFLAGS, &ifr) != 0) {
    int err = errno;
    close(sock);
    throw ErrnoError(env, err, "ioctl(SIOCGIFFLAGS)", name);
  }
  double flags = static_cast<unsigned short>(ifr.ifr_flags);
  memset(&ifr, 0, sizeof ifr);
  strncpy(ifr.ifr_name, name.c_str(), IFNAMSIZ - 1);
  if (ioctl(sock, SIOCGIFMTU, &ifr) != 0) {
    int err = errno;
    close(sock);
    throw ErrnoError(env, err, "ioctl(SIOCGIFMTU)", name);
  }
  double mtu = ifr.ifr_mtu;
  struct ethtool_cmd ecmd;
  memset(&ecmd, 0, sizeof ecmd);
  ecmd.cmd = ETHTOOL_GSET;
  memset(&ifr, 0, sizeof ifr);
  strncpy(ifr.ifr_name, name.c_str(), IFNAMSIZ - 1);
  ifr.ifr_data = reinterpret_cast<char*>(&ecmd);
  int ethErr = 0;
  if (ioctl(sock, SIOCETHTOOL, &ifr) != 0) ethErr = errno;
  close(sock);
  Napi::Object o = Napi::Object::New(env);
  o.Set("flags", Napi::Number::New(env, flags));
  o.Set("mtu", Napi::Number::New(env, mtu));
  if (ethErr) {
    o.Set("speed", env.Null());
    o.Set("duplex", env.Null());
    o.Set("ethtoolErrno", Napi::Number::New(env, -ethErr));
    o.Set("ethtoolCode", Napi::String::New(env, ErrnoName(ethErr)));
  } else {
    uint32_t speed = ethtool_cmd_speed(&ecmd);
    o.Set("speed", Napi::Number::New(env, speed == static_cast<uint32_t>(SPEED_UNKNOWN) ? -1.0 : static_cast<double>(speed)));
    o.Set("duplex", Napi::Number::New(env, ecmd.duplex));
  }
  return o;
}

// What ifconfig(8) asks the kernel about one interface, as net-tools'
// if_fetch does, in one call: SIOCGIFFLAGS (its failure is the error: ENODEV
// for "Device not found"), then SIOCGIFHWADDR, SIOCGIFMTU, SIOCGIFMAP,
// SIOCGIFTXQLEN and the IPv4 address with SIOCGIFADDR/DSTADDR/BRDADDR/NETMASK.
// Each later fact is null when its ioctl fails (net-tools prints it as
// unknown or zero). The ioctls answer for the caller's network namespace,
// which sysfs may not show. A name with ':' is an alias label: the device
// ioctls use the device, the address ioctls the label.
namespace {

Napi::Value IfreqAddr(Napi::Env env, int sock, unsigned long req, const std::string& name, bool* ok) {
  struct ifreq ifr;
  memset(&ifr, 0, sizeof ifr);
  strncpy(ifr.ifr_name, name.c_str(), IFNAMSIZ - 1);
  ifr.ifr_addr.sa_family = AF_INET;
  if (ioctl(sock, req, &ifr) != 0) {
    if (ok) *ok = false;
    return env.Null();
  }
  if (ok) *ok = true;
  // A struct sockaddr_in in the union; an unset address is 0.0.0.0.
  const auto* in = reinterpret_cast<const struct sockaddr_in*>(&ifr.ifr_addr);
  char buf[INET_ADDRSTRLEN];
  if (inet_ntop(AF_INET, &in->sin_addr, buf, sizeof buf) == nullptr) return env.Null();
  return Napi::String::New(env, buf);
}

}  // namespace

Napi::Value IfConfig(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string name = ArgString(info, 0, "name");
  if (name.empty() || name.size() >= IFNAMSIZ) throw Napi::RangeError::New(env, "name must be 1 to 15 bytes");
  int sock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (sock < 0) throw ErrnoError(env, errno, "socket");
  struct ifreq ifr;
  auto reset = [&]() {
    memset(&ifr, 0, sizeof ifr);
    strncpy(ifr.ifr_name, name.c_str(), IFNAMSIZ - 1);
  };
  reset();
  if (ioctl(sock, SIOCGIFFLAGS, &ifr) != 0) {
    int err = errno;
    close(sock);
    throw ErrnoError(env, err, "ioctl(SIOCGIFFLAGS)", name);
  }
  Napi::Object o = Napi::Object::New(env);
  o.Set("flags", Napi::Number::New(env, static_cast<unsigned short>(ifr.ifr_flags)));

  reset();
  if (ioctl(sock, SIOCGIFHWADDR, &ifr) == 0) {
    o.Set("hwType", Napi::Number::New(env, ifr.ifr_hwaddr.sa_family));
    o.Set("hwaddr", Napi::Buffer<unsigned char>::Copy(env, reinterpret_cast<const unsigned char*>(ifr.ifr_hwaddr.sa_data), sizeof ifr.ifr_hwaddr.sa_data));
  } else {
    o.Set("hwType", env.Null());
    o.Set("hwaddr", env.Null());
  }

  reset();
  o.Set("mtu", ioctl(sock, SIOCGIFMTU, &ifr) == 0 ? Napi::Value(Napi::Number::New(env, ifr.ifr_mtu)) : env.Null());

  reset();
  if (ioctl(sock, SIOCGIFMAP, &ifr) == 0) {
    Napi::Object m = Napi::Object::New(env);
    // unsigned long addresses: exact as doubles up to 2^53.
    m.Set("memStart", Napi::Number::New(env, static_cast<double>(ifr.ifr_map.mem_start)));
    m.Set("memEnd", Napi::Number::New(env, static_cast<double>(ifr.ifr_map.mem_end)));
    m.Set("baseAddr", Napi::Number::New(env, ifr.ifr_map.base_addr));
    m.Set("irq", Napi::Number::New(env, ifr.ifr_map.irq));
    m.Set("dma", Napi::Number::New(env, ifr.ifr_map.dma));
    m.Set("port", Napi::Number::New(env, ifr.ifr_map.port));
    o.Set("map", m);
  } else {
    o.Set("map", env.Null());
  }

  reset();
  o.Set("txqueuelen", ioctl(sock, SIOCGIFTXQLEN, &ifr) == 0 ? Napi::Value(Napi::Number::New(env, ifr.ifr_qlen)) : env.Null());

  bool hasAddr = false;
  Napi::Value addr = IfreqAddr(env, sock, SIOCGIFADDR, name, &hasAddr);
  if (hasAddr) {
    Napi::Object in = Napi::Object::New(env);
    in.Set("address", addr);
    in.Set("destination", IfreqAddr(env, sock, SIOCGIFDSTADDR, name, nullptr));
    in.Set("broadcast", IfreqAddr(env, sock, SIOCGIFBRDADDR, name, nullptr));
    in.Set("netmask", IfreqAddr(env, sock, SIOCGIFNETMASK, name, nullptr));
    o.Set("inet", in);
  } else {
    o.Set("inet", env.Null());
  }
  close(sock);
  return o;
}

// ---------------------------------------------------------------- processes

Napi::Value SchedGetaffinity(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int pid = ArgPid(info, 0);
  for (size_t ncpus = 1024;; ncpus *= 2) {
    cpu_set_t* set = CPU_ALLOC(ncpus);
    if (set == nullptr) throw ErrnoError(env, ENOMEM, "sched_getaffinity");
    size_t sz = CPU_ALLOC_SIZE(ncpus);
    CPU_ZERO_S(sz, set);
    if (sched_getaffinity(pid, sz, set) != 0) {
      int err = errno;
      CPU_FREE(set);
      if (err == EINVAL && ncpus < (1u << 20)) continue;
      throw ErrnoError(env, err, "sched_getaffinity");
    }
    Napi::Array out = Napi::Array::New(env);
    uint32_t k = 0;
    for (size_t c = 0; c < ncpus; c++)
      if (CPU_ISSET_S(c, sz, set)) out.Set(k++, Napi::Number::New(env, static_cast<double>(c)));
    CPU_FREE(set);
    return out;
  }
}

Napi::Value SchedSetaffinity(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int pid = ArgPid(info, 0);
  if (info.Length() < 2 || !info[1].IsArray()) ThrowType(env, "cpus must be an array of integers");
  Napi::Array arr = info[1].As<Napi::Array>();
  std::vector<int> cpus;
  int maxc = 0;
  for (uint32_t k = 0; k < arr.Length(); k++) {
    Napi::Value v = arr.Get(k);
    if (!v.IsNumber()) ThrowType(env, "cpus must be an array of integers");
    double d = v.As<Napi::Number>().DoubleValue();
    if (!IsIntIn(d, 0, (1 << 20) - 1)) throw Napi::RangeError::New(env, "cpu numbers must be integers in [0, 2^20)");
    cpus.push_back(static_cast<int>(d));
    if (cpus.back() > maxc) maxc = cpus.back();
  }
  size_t ncpus = static_cast<size_t>(maxc) + 1 < 1024 ? 1024 : static_cast<size_t>(maxc) + 1;
  cpu_set_t* set = CPU_ALLOC(ncpus);
  if (set == nullptr) throw ErrnoError(env, ENOMEM, "sched_setaffinity");
  size_t sz = CPU_ALLOC_SIZE(ncpus);
  CPU_ZERO_S(sz, set);
  for (int c : cpus) CPU_SET_S(c, sz, set);
  int rc = sched_setaffinity(pid, sz, set);
  int err = errno;
  CPU_FREE(set);
  if (rc != 0) throw ErrnoError(env, err, "sched_setaffinity");
  return env.Undefined();
}

// ioprio_get/set: returns [class, data].
Napi::Value IoprioGet(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int pid = ArgPid(info, 0);
  long rc = syscall(SYS_ioprio_get, 1 /* IOPRIO_WHO_PROCESS */, pid);
  if (rc < 0) throw ErrnoError(env, errno, "ioprio_get");
  Napi::Array out = Napi::Array::New(env, 2);
  out.Set(0u, Napi::Number::New(env, static_cast<double>(rc >> 13)));
  out.Set(1u, Napi::Number::New(env, static_cast<double>(rc & ((1 << 13) - 1))));
  return out;
}

Napi::Value IoprioSet(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int pid = ArgPid(info, 0);
  int cls = static_cast<int>(ArgInt(info, 1, "ioclass", 0, 7));
  int data = static_cast<int>(ArgInt(info, 2, "value", 0, (1 << 13) - 1));
  long rc = syscall(SYS_ioprio_set, 1, pid, (cls << 13) | data);
  if (rc < 0) throw ErrnoError(env, errno, "ioprio_set");
  return env.Undefined();
}

// prlimit(pid, resource[, soft, hard]) -> [soft, hard] (old values). -1 is RLIM_INFINITY.
Napi::Value Prlimit(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int pid = ArgPid(info, 0);
  int res = static_cast<int>(ArgInt(info, 1, "resource", 0, 64));
  struct rlimit newl, oldl;
  struct rlimit* np = nullptr;
  if (info.Length() > 2 && !info[2].IsUndefined()) {
    int64_t soft = ArgInt(info, 2, "soft", -1, static_cast<int64_t>(1) << 53);
    int64_t hard = ArgInt(info, 3, "hard", -1, static_cast<int64_t>(1) << 53);
    newl.rlim_cur = soft < 0 ? RLIM_INFINITY : static_cast<rlim_t>(soft);
    newl.rlim_max = hard < 0 ? RLIM_INFINITY : static_cast<rlim_t>(hard);
    np = &newl;
  }
  if (prlimit(pid, static_cast<__rlimit_resource>(res), np, &oldl) != 0) throw ErrnoError(env, errno, "prlimit");
  Napi::Array out = Napi::Array::New(env, 2);
  out.Set(0u, Napi::Number::New(env, oldl.rlim_cur == RLIM_INFINITY ? -1.0 : static_cast<double>(oldl.rlim_cur)));
  out.Set(1u, Napi::Number::New(env, oldl.rlim_max == RLIM_INFINITY ? -1.0 : static_cast<double>(oldl.rlim_max)));
  return out;
}

Napi::Value GetPwUid(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  uid_t uid = static_cast<uid_t>(ArgInt(info, 0, "uid", 0, 0xffffffffLL));
  std::vector<char> buf(16384);
  struct passwd pw, *res = nullptr;
  for (;;) {
    int rc = getpwuid_r(uid, &pw, buf.data(), buf.size(), &res);
    if (rc == ERANGE && buf.size() < (1 << 20)) { buf.resize(buf.size() * 4); continue; }
    if (rc != 0) throw ErrnoError(env, rc, "getpwuid_r");
    break;
  }
  if (res == nullptr) return env.Null();
  Napi::Object o = Napi::Object::New(env);
  o.Set("name", Napi::String::New(env, pw.pw_name));
  o.Set("uid", Napi::Number::New(env, pw.pw_uid));
  o.Set("gid", Napi::Number::New(env, pw.pw_gid));
  o.Set("gecos", Napi::String::New(env, pw.pw_gecos ? pw.pw_gecos : ""));
  o.Set("dir", Napi::String::New(env, pw.pw_dir ? pw.pw_dir : ""));
  o.Set("shell", Napi::String::New(env, pw.pw_shell ? pw.pw_shell : ""));
  return o;
}

Napi::Value GetGrGid(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  gid_t gid = static_cast<gid_t>(ArgInt(info, 0, "gid", 0, 0xffffffffLL));
  std::vector<char> buf(16384);
  struct group gr, *res = nullptr;
  for (;;) {
    int rc = getgrgid_r(gid, &gr, buf.data(), buf.size(), &res);
    if (rc == ERANGE && buf.size() < (1 << 22)) { buf.resize(buf.size() * 4); continue; }
    if (rc != 0) throw ErrnoError(env, rc, "getgrgid_r");
    break;
  }
  if (res == nullptr) return env.Null();
  Napi::Object o = Napi::Object::New(env);
  o.Set("name", Napi::String::New(env, gr.gr_name));
  o.Set("gid", Napi::Number::New(env, gr.gr_gid));
  return o;
}

Napi::Value GetPwNam(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string name = ArgString(info, 0, "name");
  std::vector<char> buf(16384);
  struct passwd pw, *res = nullptr;
  for (;;) {
    int rc = getpwnam_r(name.c_str(), &pw, buf.data(), buf.size(), &res);
    if (rc == ERANGE && buf.size() < (1 << 20)) { buf.resize(buf.size() * 4); continue; }
    if (rc != 0) throw ErrnoError(env, rc, "getpwnam_r");
    break;
  }
  if (res == nullptr) return env.Null();
  Napi::Object o = Napi::Object::New(env);
  o.Set("name", Napi::String::New(env, pw.pw_name));
  o.Set("uid", Napi::Number::New(env, pw.pw_uid));
  o.Set("gid", Napi::Number::New(env, pw.pw_gid));
  return o;
}

Napi::Value GetGrNam(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string name = ArgString(info, 0, "name");
  std::vector<char> buf(16384);
  struct group gr, *res = nullptr;
  for (;;) {
    int rc = getgrnam_r(name.c_str(), &gr, buf.data(), buf.size(), &res);
    if (rc == ERANGE && buf.size() < (1 << 22)) { buf.resize(buf.size() * 4); continue; }
    if (rc != 0) throw ErrnoError(env, rc, "getgrnam_r");
    break;
  }
  if (res == nullptr) return env.Null();
  Napi::Object o = Napi::Object::New(env);
  o.Set("name", Napi::String::New(env, gr.gr_name));
  o.Set("gid", Napi::Number::New(env, gr.gr_gid));
  return o;
}

// pidfd_open(pid) -> fd
Napi::Value PidfdOpen(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int pid = ArgPid(info, 0);
#ifdef SYS_pidfd_open
  long fd = syscall(SYS_pidfd_open, pid, 0);
  if (fd < 0) throw ErrnoError(env, errno, "pidfd_open");
  return Napi::Number::New(env, static_cast<double>(fd));
#else
  throw ErrnoError(env, ENOSYS, "pidfd_open");
#endif
}

// Waits until fd is readable (pidfd: the process exited) or timeoutMs passes
// (-1: forever). Resolves true when readable, false on timeout.
class PollWorker : public Napi::AsyncWorker {
 public:
  PollWorker(Napi::Env env, int fd, int timeout)
      : Napi::AsyncWorker(env), deferred_(Napi::Promise::Deferred::New(env)), fd_(fd), timeout_(timeout) {}
  Napi::Promise Promise() { return deferred_.Promise(); }
  void Execute() override {
    struct pollfd p = {fd_, POLLIN, 0};
    for (;;) {
      int rc = poll(&p, 1, timeout_);
      if (rc < 0 && errno == EINTR) continue;
      if (rc < 0) err_ = errno;
      ready_ = rc > 0;
      break;
    }
  }
  void OnOK() override {
    if (err_) deferred_.Reject(ErrnoError(Env(), err_, "poll").Value());
    else deferred_.Resolve(Napi::Boolean::New(Env(), ready_));
  }

 private:
  Napi::Promise::Deferred deferred_;
  int fd_;
  int timeout_;
  int err_ = 0;
  bool ready_ = false;
};

Napi::Value PollReadable(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int fd = static_cast<int>(ArgInt(info, 0, "fd", 0, 0x7fffffff));
  int timeout = static_cast<int>(ArgInt(info, 1, "timeoutMs", -1, 0x7fffffff));
  struct pollfd p = {fd, POLLIN, 0};
  for (;;) {
    int rc = poll(&p, 1, timeout);
    if (rc < 0 && errno == EINTR) continue;
    if (rc < 0) throw ErrnoError(env, errno, "poll");
    return Napi::Boolean::New(env, rc > 0);
  }
}

Napi::Value PollReadableAsync(const Napi::CallbackInfo& info) {
  int fd = static_cast<int>(ArgInt(info, 0, "fd", 0, 0x7fffffff));
  int timeout = static_cast<int>(ArgInt(info, 1, "timeoutMs", -1, 0x7fffffff));
  auto* w = new PollWorker(info.Env(), fd, timeout);
  Napi::Promise p = w->Promise();
  w->Queue();
  return p;
}

Napi::Value CloseFd(const Napi::CallbackInfo& info) {
  int fd = static_cast<int>(ArgInt(info, 0, "fd", 0, 0x7fffffff));
  if (close(fd) != 0) throw ErrnoError(info.Env(), errno, "close");
  return info.Env().Undefined();
}

// getpriority/setpriority for PRIO_PROCESS (Node's os.setPriority refuses some
// values and reports errors without errno names we need).
Napi::Value GetPriority(const Napi::CallbackInfo& info) {
  int pid = ArgPid(info, 0);
  errno = 0;
  int v = getpriority(PRIO_PROCESS, static_cast<id_t>(pid));
  if (v == -1 && errno != 0) throw ErrnoError(info.Env(), errno, "getpriority");
  return Napi::Number::New(info.Env(), v);
}

Napi::Value SetPriority(const Napi::CallbackInfo& info) {
  int pid = ArgPid(info, 0);
  int v = static_cast<int>(ArgInt(info, 1, "value", -40, 40));
  if (setpriority(PRIO_PROCESS, static_cast<id_t>(pid), v) != 0) throw ErrnoError(info.Env(), errno, "setpriority");
  return info.Env().Undefined();
}

// sigqueue(pid, sig, value): a signal with an integer payload (kill -q).
Napi::Value Sigqueue(const Napi::CallbackInfo& info) {
  int pid = static_cast<int>(ArgInt(info, 0, "pid", -0x7fffffffLL, 0x7fffffff));
  int sig = static_cast<int>(ArgInt(info, 1, "signal", 0, 64));
  int value = static_cast<int>(ArgInt(info, 2, "value", -0x80000000LL, 0x7fffffff));
  union sigval sv;
  sv.sival_int = value;
  if (sigqueue(pid, sig, sv) != 0) throw ErrnoError(info.Env(), errno, "sigqueue");
  return info.Env().Undefined();
}

Napi::Value Sync(const Napi::CallbackInfo& info) {
  sync();
  return info.Env().Undefined();
}

Napi::Value GetIds(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Object o = Napi::Object::New(env);
  o.Set("uid", Napi::Number::New(env, getuid()));
  o.Set("euid", Napi::Number::New(env, geteuid()));
  o.Set("gid", Napi::Number::New(env, getgid()));
  o.Set("egid", Napi::Number::New(env, getegid()));
  return o;
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("readFile", Napi::Function::New(env, ReadFile, "readFile"));
  exports.Set("readFiles", Napi::Function::New(env, ReadFiles, "readFiles"));
  exports.Set("readFilesAsync", Napi::Function::New(env, ReadFilesAsync, "readFilesAsync"));
  exports.Set("readProc", Napi::Function::New(env, ReadProc, "readProc"));
  exports.Set("listNumeric", Napi::Function::New(env, ListNumeric, "listNumeric"));
  exports.Set("readProcAsync", Napi::Function::New(env, ReadProcAsync, "readProcAsync"));
  exports.Set("sysconf", Napi::Function::New(env, Sysconf, "sysconf"));
  exports.Set("statvfs", Napi::Function::New(env, Statvfs, "statvfs"));
  exports.Set("statvfsAsync", Napi::Function::New(env, StatvfsAsync, "statvfsAsync"));
  exports.Set("getifaddrs", Napi::Function::New(env, GetIfAddrs, "getifaddrs"));
  exports.Set("ifStats", Napi::Function::New(env, IfStats, "ifStats"));
  exports.Set("ifConfig", Napi::Function::New(env, IfConfig, "ifConfig"));
  exports.Set("schedGetaffinity", Napi::Function::New(env, SchedGetaffinity, "schedGetaffinity"));
  exports.Set("schedSetaffinity", Napi::Function::New(env, SchedSetaffinity, "schedSetaffinity"));
  exports.Set("ioprioGet", Napi::Function::New(env, IoprioGet, "ioprioGet"));
  exports.Set("ioprioSet", Napi::Function::New(env, IoprioSet, "ioprioSet"));
  exports.Set("prlimit", Napi::Function::New(env, Prlimit, "prlimit"));
  exports.Set("getpwuid", Napi::Function::New(env, GetPwUid, "getpwuid"));
  exports.Set("getgrgid", Napi::Function::New(env, GetGrGid, "getgrgid"));
  exports.Set("getpwnam", Napi::Function::New(env, GetPwNam, "getpwnam"));
  exports.Set("getgrnam", Napi::Function::New(env, GetGrNam, "getgrnam"));
  exports.Set("pidfdOpen", Napi::Function::New(env, PidfdOpen, "pidfdOpen"));
  exports.Set("pollReadable", Napi::Function::New(env, PollReadable, "pollReadable"));
  exports.Set("pollReadableAsync", Napi::Function::New(env, PollReadableAsync, "pollReadableAsync"));
  exports.Set("closeFd", Napi::Function::New(env, CloseFd, "closeFd"));
  exports.Set("getpriority", Napi::Function::New(env, GetPriority, "getpriority"));
  exports.Set("setpriority", Napi::Function::New(env, SetPriority, "setpriority"));
  exports.Set("sigqueue", Napi::Function::New(env, Sigqueue, "sigqueue"));
  exports.Set("sync", Napi::Function::New(env, Sync, "sync"));
  exports.Set("getids", Napi::Function::New(env, GetIds, "getids"));
  ptools::InitSockDiag(env, exports);
  return exports;
}

}  // namespace

NODE_API_MODULE(ptools, Init)
