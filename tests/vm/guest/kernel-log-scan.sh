# The guest's kernel log verdict (busybox sh, also run on the build host by
# tests/vm/check-kernel-log-scan).
#   sh kernel-log-scan.sh DMESG [KMEMLEAK]
# Prints every line that fails the run and exits 1 when there is one:
# a sanitizer or checker report in DMESG (the kernel log), or any object
# in KMEMLEAK (the contents of /sys/kernel/debug/kmemleak after a scan).
# The report headers, as the kernel prints them (6.1 sources):
#   KASAN       "BUG: KASAN: slab-use-after-free in f+0x.."  mm/kasan/report.c
#   KFENCE      "BUG: KFENCE: out-of-bounds read in f+0x.."  mm/kfence/report.c
#   UBSAN       "UBSAN: array-index-out-of-bounds in f.c:1:2" lib/ubsan.c
#   lockdep     "WARNING: possible circular locking dependency detected",
#               "WARNING: inconsistent lock state"           kernel/locking/lockdep.c
#   atomic sleep "BUG: sleeping function called from invalid context"
#                                                            kernel/sched/core.c
#   debugobjects "ODEBUG: free active (active state 0) object ..." lib/debugobjects.c
#   kmemleak    "kmemleak: 1 new suspected memory leaks (see ...)",
#               "unreferenced object 0x... (size 32):"       mm/kmemleak.c
#   RCU stalls, hung tasks, soft lockups, oopses, WARN_ON, refcount_t.
# BUG and WARNING count as words ("DEBUG" is no bug).  A checker that
# switched itself off (kmemleak out of pool, lockdep after its first splat
# is already a failure) leaves the run unjudged: that fails too.
dmesg_file=$1
leak_file=${2:-}
bad='(^|[^A-Za-z_])(BUG|WARNING)([^A-Za-z_]|$)|Oops|general protection'
bad="$bad|refcount_t|Call Trace|UBSAN|KASAN|KFENCE|ODEBUG|blocked for more than"
bad="$bad|self-detected stall|detected stalls on CPUs|soft lockup|hard LOCKUP"
bad="$bad|suspected memory leak|kmemleak: .*(disabled|[Pp]ool empty)"
found=0
grep -E "$bad" "$dmesg_file" && found=1
if [ -n "$leak_file" ] && [ -s "$leak_file" ]; then
	echo "kmemleak: $(grep -c '^unreferenced object' "$leak_file") unreferenced objects:"
	sed -n 's/^\(unreferenced object.*\)/kmemleak: \1/p;/^  backtrace:/,/^$/p' \
		"$leak_file" | head -n 40
	found=1
fi
[ $found = 0 ]
