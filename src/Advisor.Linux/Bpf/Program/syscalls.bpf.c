// SPDX-License-Identifier: (MIT OR GPL-2.0)
//
// The bpf backend's kernel side: one compact record per completed system call of the traced processes,
// enter and exit paired here, into one BPF ring buffer. Built into syscalls.bpf.o by eng/build-bpf.sh (clang's
// BPF target); the object is committed beside this source and embedded in the tool, so no machine needs clang.
// Record layouts and map names are kept in step with src/Advisor.Linux/Bpf/BpfRecords.cs.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>

typedef unsigned int u32;
typedef int s32;
typedef unsigned long long u64;
typedef long long s64;

#define RECORD_CALL 1
#define RECORD_PATH 2
#define RECORD_NAME 3
#define RECORD_STACK 4
#define MAX_FRAMES 64
#define PATH_CAPTURED 256
/* The most of the user stack a stack record carries, copied in chunks so that a copy reaching past the top of the
   stack keeps the chunks below it. The tool may ask for less (config.copy_chunks). */
#define STACK_COPY 8192
#define STACK_CHUNK 1024
/* Stack records are optional: past half full (the ring's size is set by the tool at load) the ring keeps its room
   for the calls themselves. */

#define TRACED 1
#define ARMED 2 /* a launched command: traced from its execve on */

/* Records are submitted without waking the reader, which drains every few milliseconds: a wake-up per record
   (the default) costs the traced thread more than the record itself. */
#define SUBMIT BPF_RB_NO_WAKEUP

#define STACKS_NONE 0
#define STACKS_SAMPLED 1
#define STACKS_ALL 2

/* The two task fields the process hooks need, located in this kernel's BTF when the program loads (CO-RE). */
struct task_struct {
	int pid;
	int tgid;
} __attribute__((preserve_access_index));

/* Named by the exec hook's arguments, never read. */
struct linux_binprm;

/* The saved user registers a syscall's arguments are in (x86-64), and those its stack is unwound from, located
   in this kernel's BTF. The raw tracepoints hand the programs a pointer the verifier trusts, so the fields are
   loaded directly: a BPF_CORE_READ goes through bpf_probe_read_kernel, which cost about 60 ns of every recorded
   call for the three arguments (perf record of a getppid loop under monitor, bench/RESULTS.md). */
struct pt_regs {
	unsigned long di;
	unsigned long si;
	unsigned long dx;
	unsigned long ip;
	unsigned long sp;
	unsigned long bp;
} __attribute__((preserve_access_index));

struct call_record {
	u32 kind;
	u32 pid;
	u32 tid;
	s32 nr;
	s64 start;
	s64 duration;
	s64 ret;
	u64 arg0;
	u64 arg1;
	u64 arg2;
	s32 stack; /* 1: the thread's last stack record is this call's; -1: no stack */
	u32 reserved;
};

/* A call's user stack, written at its enter, before the call's own record: copied whole into the ring rather
   than kept in a stack map, whose hash buckets drop a stack that collides with another (-EEXIST) and would
   silently leave a call site without its stacks. The frame-pointer chain stops at native code that keeps no frame
   pointer (libc, SQLite), so the registers and the top of the stack come too: the tool unwinds those frames from
   the libraries' .eh_frame tables. */
struct stack_head {
	u32 kind;
	u32 pid;
	u32 tid;
	u32 bytes;  /* of frames */
	u64 ip;
	u64 sp;
	u64 bp;
	u64 base;   /* the address stack[0] was copied from: sp rounded down to a chunk */
	u32 copied; /* bytes of stack; 0 in a record without the copy */
	u32 reserved;
	u64 frames[MAX_FRAMES];
};

/* With the copy (sampled stacks); --stacks all writes the head alone: a copy per call would fill the ring. */
struct stack_record {
	struct stack_head head;
	unsigned char stack[STACK_COPY];
};

struct path_record {
	u32 kind;
	u32 pid;
	u32 tid;
	u32 length;
	char path[PATH_CAPTURED];
};

/* A thread's new name (set by the runtime or the application, or by exec): threads that live a moment are gone
   before /proc can be asked. */
struct name_record {
	u32 kind;
	u32 pid;
	u32 tid;
	char name[16];
	u32 reserved;
};

struct in_flight {
	s64 start;
	u64 arg0;
	u64 arg1;
	u64 arg2;
	s32 nr;
	s32 stack;
	u32 pending; /* an enter whose exit has not come yet */
	u32 epoch;   /* the config's epoch at the enter */
};

struct config {
	u32 stacks;
	u32 first;  /* stacks for the first calls of each thread × syscall... */
	u32 every;  /* ...then one call in this many */
	s32 openat_nr;
	s32 exit_nr;
	s32 exit_group_nr;
	u32 copy_chunks; /* STACK_CHUNK bytes of user stack copied per stack, up to STACK_COPY */
	u32 only_tid;    /* the tool's calibration: one thread of the traced process, not all (0: all) */
	/* Raised each time monitor attaches sys_enter and sys_exit again after a pause (between its recorded windows
	   they are detached, so the machine's calls pay nothing): an enter from before the pause, whose exit went
	   unseen, is not paired with the exit of a later call. */
	u32 epoch;
	u32 reserved;
};

/* The processes traced: their tgids, and those of every process they start (added at fork). */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536);
	__type(key, u32);
	__type(value, u32);
} targets SEC(".maps");

/* A thread's call between its enter and its exit, in the thread's own storage (no hash to search, freed with
   the thread). */
struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct in_flight);
} calls SEC(".maps");

/* Calls seen per thread × syscall, for sampling stacks; the least recently used are forgotten. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 65536);
	__type(key, u64);
	__type(value, u32);
} seen SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 16 << 20); /* the tool sets the size it wants before loading (BpfOptions.RingBytes) */
} events SEC(".maps");

/* Records the ring buffer had no room for: counted, never silently dropped. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, u64);
} lost SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct config);
} settings SEC(".maps");

static __always_inline void count_lost(void)
{
	u32 zero = 0;
	u64 *n = bpf_map_lookup_elem(&lost, &zero);
	if (n)
		*n += 1;
}

static __always_inline int traced(u32 tgid)
{
	u32 *state = bpf_map_lookup_elem(&targets, &tgid);
	return state && *state == TRACED;
}

/* Chunks aligned to STACK_CHUNK, so one that fails is the one that crosses the end of the stack's mapping. */
static __always_inline void copy_user_stack(struct stack_record *s, const struct config *cfg)
{
	u64 base = s->head.sp & ~(u64)(STACK_CHUNK - 1);
	u32 copied = 0;
	for (u32 i = 0; i < STACK_COPY / STACK_CHUNK; i++) {
		if (i >= cfg->copy_chunks
		    || bpf_probe_read_user(&s->stack[i * STACK_CHUNK], STACK_CHUNK, (const void *)(base + i * STACK_CHUNK)) != 0)
			break;
		copied += STACK_CHUNK;
	}
	s->head.base = base;
	s->head.copied = copied;
}

/* The frame-pointer chain and the registers; false when there is no user stack to walk. */
static __always_inline int fill_head(void *ctx, struct stack_head *h, struct pt_regs *regs, u32 tgid, u32 tid)
{
	long bytes = bpf_get_stack(ctx, h->frames, sizeof(h->frames), BPF_F_USER_STACK);
	if (bytes <= 0)
		return 0;
	h->kind = RECORD_STACK;
	h->pid = tgid;
	h->tid = tid;
	h->bytes = (u32)bytes;
	h->ip = regs->ip;
	h->sp = regs->sp;
	h->bp = regs->bp;
	h->base = 0;
	h->copied = 0;
	h->reserved = 0;
	return 1;
}

static __always_inline s32 sample_stack(void *ctx, struct pt_regs *regs, const struct config *cfg, u32 tgid, u32 tid, s32 nr)
{
	if (cfg->stacks == STACKS_NONE)
		return -1;
	if (cfg->stacks == STACKS_SAMPLED) {
		u64 key = ((u64)tid << 32) | (u32)nr;
		u32 one = 1;
		u32 *count = bpf_map_lookup_elem(&seen, &key);
		if (!count) {
			bpf_map_update_elem(&seen, &key, &one, BPF_ANY);
		} else {
			u32 n = ++*count;
			if (n > cfg->first && (cfg->every == 0 || n % cfg->every != 0))
				return -1;
		}
	}

	/* A stack is a sample: without room for it the call is recorded without one, and no call is lost for it. */
	if (bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA) > bpf_ringbuf_query(&events, BPF_RB_RING_SIZE) / 2)
		return -1;
	if (cfg->copy_chunks == 0) {
		struct stack_head *h = bpf_ringbuf_reserve(&events, sizeof(*h), 0);
		if (!h)
			return -1;
		if (!fill_head(ctx, h, regs, tgid, tid)) {
			bpf_ringbuf_discard(h, SUBMIT);
			return -1;
		}
		bpf_ringbuf_submit(h, SUBMIT);
		return 1;
	}

	struct stack_record *s = bpf_ringbuf_reserve(&events, sizeof(*s), 0);
	if (!s)
		return -1;
	if (!fill_head(ctx, &s->head, regs, tgid, tid)) {
		bpf_ringbuf_discard(s, SUBMIT);
		return -1;
	}
	copy_user_stack(s, cfg);
	bpf_ringbuf_submit(s, SUBMIT);
	return 1;
}

static __always_inline void emit(u32 tgid, u32 tid, s32 nr, s64 start, s64 duration, s64 ret, u64 a0, u64 a1, u64 a2, s32 stack)
{
	struct call_record *r = bpf_ringbuf_reserve(&events, sizeof(*r), 0);
	if (!r) {
		count_lost();
		return;
	}
	r->kind = RECORD_CALL;
	r->pid = tgid;
	r->tid = tid;
	r->nr = nr;
	r->start = start;
	r->duration = duration;
	r->ret = ret;
	r->arg0 = a0;
	r->arg1 = a1;
	r->arg2 = a2;
	r->stack = stack;
	r->reserved = 0;
	bpf_ringbuf_submit(r, SUBMIT);
}

/*
 * raw_syscalls through their BTF raw tracepoints: the program gets the registers and the syscall number as they
 * are, where the classic tracepoint first formats a record for it (measured: that formatting was a third of a
 * call's recording cost). The arguments are read from the saved user registers; x86-64 keeps the first three in
 * di, si and dx, so this object is for x86-64 (elsewhere loading fails and auto takes the perf backend).
 */
SEC("tp_btf/sys_enter")
int BPF_PROG(sys_enter, struct pt_regs *regs, long id)
{
	u32 zero = 0;
	struct config *cfg = bpf_map_lookup_elem(&settings, &zero);
	if (!cfg)
		return 0;

	u64 pid_tgid = bpf_get_current_pid_tgid();
	u32 tgid = pid_tgid >> 32, tid = (u32)pid_tgid;
	if (!traced(tgid) || (cfg->only_tid && cfg->only_tid != tid))
		return 0;

	s32 nr = (s32)id;
	s64 now = bpf_ktime_get_ns();
	u64 a0 = regs->di, a1 = regs->si, a2 = regs->dx;
	s32 stack = sample_stack(ctx, regs, cfg, tgid, tid, nr);
	if (nr == cfg->exit_nr || nr == cfg->exit_group_nr) {
		/* No exit comes back from these: the call is complete as it starts. */
		emit(tgid, tid, nr, now, 0, 0, a0, a1, a2, stack);
		return 0;
	}

	if (nr == cfg->openat_nr) {
		/* The path as the call was given it: the caller's buffer may be gone by the time user space reads. */
		struct path_record *p = bpf_ringbuf_reserve(&events, sizeof(*p), 0);
		if (p) {
			p->kind = RECORD_PATH;
			p->pid = tgid;
			p->tid = tid;
			long n = bpf_probe_read_user_str(p->path, sizeof(p->path), (const void *)a1);
			p->length = n > 0 ? (u32)n - 1 : 0;
			bpf_ringbuf_submit(p, SUBMIT);
		} else {
			count_lost();
		}
	}

	struct in_flight *call = bpf_task_storage_get(&calls, bpf_get_current_task_btf(), 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (!call)
		return 0;
	call->start = now;
	call->arg0 = a0;
	call->arg1 = a1;
	call->arg2 = a2;
	call->nr = nr;
	call->stack = stack;
	call->pending = 1;
	call->epoch = cfg->epoch;
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(sys_exit, struct pt_regs *regs, long ret)
{
	struct in_flight *call = bpf_task_storage_get(&calls, bpf_get_current_task_btf(), 0, 0);
	if (!call || !call->pending)
		return 0;

	u32 zero = 0;
	struct config *cfg = bpf_map_lookup_elem(&settings, &zero);
	if (!cfg || call->epoch != cfg->epoch) {
		call->pending = 0;
		return 0;
	}

	u64 pid_tgid = bpf_get_current_pid_tgid();
	s64 now = bpf_ktime_get_ns();
	call->pending = 0;
	emit(pid_tgid >> 32, (u32)pid_tgid, call->nr, call->start, now - call->start, ret, call->arg0, call->arg1, call->arg2, call->stack);
	return 0;
}

/* A traced process's children are traced from their first call: their tgid is added as they are made. */
SEC("tp_btf/sched_process_fork")
int BPF_PROG(process_fork, struct task_struct *parent, struct task_struct *child)
{
	u32 parent_tgid = BPF_CORE_READ(parent, tgid);
	u32 child_tgid = BPF_CORE_READ(child, tgid);
	if (child_tgid == parent_tgid || !traced(parent_tgid))
		return 0;
	u32 state = TRACED;
	bpf_map_update_elem(&targets, &child_tgid, &state, BPF_ANY);
	return 0;
}

SEC("tp_btf/task_rename")
int BPF_PROG(task_rename, struct task_struct *task, const char *comm)
{
	u32 tgid = BPF_CORE_READ(task, tgid);
	if (!traced(tgid))
		return 0;
	struct name_record *r = bpf_ringbuf_reserve(&events, sizeof(*r), 0);
	if (!r) {
		count_lost();
		return 0;
	}
	r->kind = RECORD_NAME;
	r->pid = tgid;
	r->tid = BPF_CORE_READ(task, pid);
	bpf_probe_read_kernel_str(r->name, sizeof(r->name), comm);
	r->reserved = 0;
	bpf_ringbuf_submit(r, SUBMIT);
	return 0;
}

/* A launched command is armed before its execve and traced from it: the launcher's own calls stay out. A BTF raw
   tracepoint like the others, not the classic sched:sched_process_exec, whose id libbpf would read from tracefs:
   many hosts boot without tracefs mounted, and containers often have none. p->pid is what the classic event's pid
   field holds: the thread that exec'd, which by then leads its process, so it is the tgid the tool armed. */
SEC("tp_btf/sched_process_exec")
int BPF_PROG(process_exec, struct task_struct *p, int old_pid, struct linux_binprm *bprm)
{
	u32 pid = BPF_CORE_READ(p, pid);
	u32 *state = bpf_map_lookup_elem(&targets, &pid);
	if (state && *state == ARMED)
		*state = TRACED;
	return 0;
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";
