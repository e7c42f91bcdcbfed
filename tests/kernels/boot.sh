#!/bin/bash
# make test-kernels: boots a stock distribution kernel under qemu with KVM and
# runs the measurement tests inside it, against the same ground truth as on
# the host. The guest's root is the host's own tree, shared read-only over
# 9p, so the binaries built here run there unchanged; /tmp and /run are
# fresh tmpfs, and results come back through a writable share.
#
# Usage: tests/kernels/boot.sh SERIES|PACKAGE [TEST_COMMAND...]
#   SERIES        a kernel series of Debian's archive ("6.1"): its newest amd64 package
#   PACKAGE       or a package by name (linux-image-6.1.0-47-amd64-unsigned); fetched
#                 with apt-get download into $KERNELS_DIR (.output/kernels) and unpacked
#   TEST_COMMAND  run in the guest as root, from the source tree; its exit status is this
#                 script's. Default: the integration suite's measure/* tests.
set -euo pipefail
pkg=${1:?usage: boot.sh SERIES|PACKAGE [TEST_COMMAND...]}
shift
if [[ $pkg != linux-image-* ]]; then
	series=${pkg//./\\.}
	pkg=$(apt-cache search --names-only "^linux-image-$series\\.[0-9]+-[0-9]+-amd64-unsigned\$" |
		awk '{print $1}' | sort -V | tail -1)
	if [ -z "$pkg" ]; then
		apt-get update -qq
		pkg=$(apt-cache search --names-only "^linux-image-$series\\.[0-9]+-[0-9]+-amd64-unsigned\$" |
			awk '{print $1}' | sort -V | tail -1)
	fi
	[ -n "$pkg" ] || { echo "test-kernels: no Debian kernel package of series $1"; exit 1; }
fi
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
KERNELS_DIR=${KERNELS_DIR:-$ROOT/.output/kernels}
MEM=${KERNEL_MEM:-2048}
TIMEOUT=${KERNEL_TIMEOUT:-1200}
# KVM where it boots; on these machines nested KVM hangs before the kernel prints (measured),
# so the default is software emulation: slower, but the tests compare within the guest.
# One vCPU: with two, the emulated guest's RCU starved for minutes on a loaded host (seen).
ACCEL=${KERNEL_ACCEL:-tcg}
SMP=${KERNEL_SMP:-1}
if [ $# -eq 0 ]; then
	# each measurement test on its own, bounded, so that one stuck test is one failure
	set -- sh tests/kernels/measure.sh
fi

mkdir -p "$KERNELS_DIR"
cd "$KERNELS_DIR"
if ! ls "$pkg"_*.deb >/dev/null 2>&1; then
	apt-get download "$pkg" >/dev/null 2>&1 || {
		apt-get update -qq && apt-get download "$pkg" >/dev/null
	}
fi
deb=$(ls "$pkg"_*.deb | tail -1)
tree=$KERNELS_DIR/${deb%.deb}
if [ ! -d "$tree" ]; then
	dpkg-deb -x "$deb" "$tree.tmp"
	mv "$tree.tmp" "$tree"
fi
vmlinuz=$(ls "$tree"/boot/vmlinuz-* | head -1)
release=${vmlinuz##*/vmlinuz-}
moddir=$tree/lib/modules/$release

# The initramfs: a static busybox, the modules that 9p over virtio needs (with
# what they depend on, in load order), and an init that mounts the host's tree.
initrd=$tree/initrd-advisor.cpio
work=$(mktemp -d)
results=$(mktemp -d)
trap 'rm -rf "$work" "$results"' EXIT
mkdir -p "$work"/{bin,dev,proc,sys,mnt,modules}
cp /bin/busybox "$work/bin/busybox"
declare -A seen=()
order=()
add_module() {
	local name=$1 file dep
	[ -n "${seen[$name]:-}" ] && return
	seen[$name]=1
	file=$(find "$moddir" -name "$name.ko" -o -name "$name.ko.xz" | head -1)
	[ -n "$file" ] || return 0 # built in
	for dep in $(modinfo -F depends "$file" | tr ',' ' '); do
		add_module "$dep"
	done
	cp "$file" "$work/modules/"
	order+=("${file##*/}")
}
for m in virtio_pci 9pnet_virtio 9p virtio_blk crc32c_generic ext4; do
	add_module "$m"
done
{
	echo '#!/bin/busybox sh'
	echo '/bin/busybox --install -s /bin'
	echo 'mount -t proc proc /proc; mount -t sysfs sys /sys; mount -t devtmpfs dev /dev'
	for f in "${order[@]}"; do
		echo "insmod /modules/$f"
	done
	cat <<'INIT'
mkdir -p /dev/shm /dev/pts; mount -t tmpfs tmpfs /dev/shm; mount -t devpts devpts /dev/pts
ip link set lo up
mount -t 9p -o trans=virtio,version=9p2000.L,ro hostroot /mnt || poweroff -f
mkdir -p /host; mount --bind /mnt /host; mount --make-private /host
for d in proc sys dev; do mount --bind /$d /mnt/$d; done
for d in tmp run; do mount -t tmpfs tmpfs /mnt/$d; done
INIT
	# a source tree under /tmp (a CI clone) comes back from under the tmpfs
	printf '[ -d %q ] || { mkdir -p %q; mount --bind %q %q; }\n' "/mnt$ROOT/bin" "/mnt$ROOT" \
		"/host$ROOT" "/mnt$ROOT"
	cat <<'INIT'

# a real disk for the disk waits (fsync on tmpfs never blocks)
mount -t ext4 /dev/vda /mnt/var/tmp || mount -t tmpfs tmpfs /mnt/var/tmp
mkdir -p /mnt/tmp/results
mount -t 9p -o trans=virtio,version=9p2000.L results /mnt/tmp/results
mount -t cgroup2 none /mnt/sys/fs/cgroup 2>/dev/null
mount -t bpf bpf /mnt/sys/fs/bpf 2>/dev/null
echo advisor-guest: running the tests; chroot /mnt /bin/sh /tmp/results/run.sh
INIT
	echo 'poweroff -f'
} >"$work/init"
chmod +x "$work/init"

# The guest's script, on the results share: the command, its output and status.
{
	echo '#!/bin/sh'
	echo 'export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'
	printf 'export CI=%q\n' "${CI:-}"
	echo 'export ADVISOR_GUEST=1 # tests that compare with what only a real machine does'
	printf 'cd %q || exit 1\n' "$ROOT"
	echo 'echo "guest kernel: $(uname -r)" > /tmp/results/out'
	printf '%q ' "$@"
	echo '>> /tmp/results/out 2>&1; echo $? > /tmp/results/status'
} >"$results/run.sh"
(cd "$work" && find . | cpio -o -H newc --quiet) >"$initrd"
# The guest's /var/tmp: an empty ext4 file system on a virtio disk, its image in the host's
# memory, so that the guest's disk never waits for the host's (a shared machine's disk can
# stall for minutes).
disk_dir=$(mktemp -d "${KERNEL_DISK_DIR:-/dev/shm}/advisor-disk.XXXXXX" 2>/dev/null || mktemp -d)
trap 'rm -rf "$work" "$results" "$disk_dir"' EXIT
disk=$disk_dir/disk.img

# One boot: a fresh disk, the guest's output and status in $results. A task blocked for 3
# minutes panics the guest, its stack on the console (hung_task_panic prints it whatever the
# log level), and the panic ends qemu (panic=-1, -no-reboot): a hang costs 3 to 6 minutes,
# not the whole time limit, and says where it was.
boot() {
	rm -f "$results/status" "$results/out" "$disk"
	truncate -s 512M "$disk"
	mkfs.ext4 -q -F "$disk"
	echo "test-kernels: booting $release ($ACCEL)"
	timeout "$TIMEOUT" qemu-system-x86_64 -accel "$ACCEL" -smp "$SMP" -m "$MEM" -nographic \
		-no-reboot -kernel "$vmlinuz" -initrd "$initrd" \
		-append "console=ttyS0 earlyprintk=serial,ttyS0 panic=-1 loglevel=4 rdinit=/init \
hung_task_panic=1 sysctl.kernel.hung_task_timeout_secs=180" \
		-virtfs local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap \
		-virtfs local,path="$results",mount_tag=results,security_model=none,multidevs=remap \
		-drive file="$disk",if=virtio,format=raw \
		>"$results/console" 2>&1 || true
	[ -f "$results/status" ]
}

if ! boot; then
	# The emulated machine hung (seen once in many runs: its disk stopped completing
	# requests during fio). Everything it said is shown, and it is booted once more; a
	# hang the tests cause comes back and fails.
	echo "test-kernels: $release: the guest wrote no status; what it ran:"
	cat "$results/out" 2>/dev/null
	echo "test-kernels: its console's end:"
	tail -60 "$results/console"
	echo "test-kernels: booting once more after the hang above"
	if ! boot; then
		echo "test-kernels: $release: the guest wrote no status again; its console's end:"
		tail -60 "$results/console"
		exit 1
	fi
fi
cat "$results/out"
exit "$(cat "$results/status")"
