/*
 * kmodguard-modtest: issues the module syscalls KmodGuard watches, for tests and load generation.
 *
 *   kmodguard-modtest init   [--comm NAME] [--32]          init_module() from a memory buffer
 *   kmodguard-modtest finit  FILE [--comm NAME] [--32]     finit_module() on an open file
 *   kmodguard-modtest delete NAME [--comm NAME] [--32]     delete_module(NAME, O_NONBLOCK)
 *   kmodguard-modtest flood  RATE SECONDS [init|finit|delete]
 *   kmodguard-modtest loaders RATE SECONDS FILE             each call from a fresh process that exits at once
 *
 * --comm renames the process (prctl PR_SET_NAME) before the call, e.g. to a name with a space.
 * --hold MS keeps the process (and finit's file descriptor) alive for MS milliseconds after the call.
 * --32 makes the call through the 32-bit entry (int 0x80), so audit reports arch=i386 (x86_64 only).
 * Each call prints one line: "<syscall> pid=<pid> ret=<ret> errno=<errno>".
 * flood passes CLOCK_REALTIME in nanoseconds as the third argument (audit a2) of every call: the kernel ignores it
 * and records it, so a harness can measure the time from each syscall to its decision record exactly.
 * loaders does the same with finit_module on FILE, each call made by a child that exits right after it: the agent
 * then finds neither the process nor its descriptor in /proc, the hard case for enrichment.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#if defined(__x86_64__)
/* i386 syscall numbers, used through int 0x80. */
enum { I386_INIT_MODULE = 128, I386_DELETE_MODULE = 129, I386_FINIT_MODULE = 350 };

static long syscall32(long nr, long a, long b, long c)
{
    long ret;
    /* The compat entry clobbers r8-r11. */
    __asm__ volatile("int $0x80" : "=a"(ret) : "a"(nr), "b"(a), "c"(b), "d"(c) : "memory", "r8", "r9", "r10", "r11");
    return ret;
}

/* int 0x80 takes 32-bit pointers: copy arguments below 4 GiB. */
static void *low_copy(const void *data, size_t len)
{
    void *p = mmap(NULL, len + 1, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
    if (p == MAP_FAILED) {
        perror("mmap(MAP_32BIT)");
        exit(2);
    }
    memcpy(p, data, len);
    ((char *)p)[len] = 0;
    return p;
}
#endif

static unsigned char image[64] = { 0x7f, 'E', 'L', 'F', 2, 1, 1 };

static long call(const char *what, const char *arg, int compat, long hold_ms)
{
    long ret;
    int err;
    if (strcmp(what, "init") == 0) {
#if defined(__x86_64__)
        if (compat) {
            ret = syscall32(I386_INIT_MODULE, (long)low_copy(image, sizeof image), sizeof image, (long)low_copy("", 0));
            err = ret < 0 ? (int)-ret : 0;
            ret = ret < 0 ? -1 : ret;
        } else
#endif
        {
            ret = syscall(SYS_init_module, image, sizeof image, "");
            err = ret < 0 ? errno : 0;
        }
    } else if (strcmp(what, "finit") == 0) {
        int fd = open(arg, O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
            perror(arg);
            exit(2);
        }
#if defined(__x86_64__)
        if (compat) {
            ret = syscall32(I386_FINIT_MODULE, fd, (long)low_copy("", 0), 0);
            err = ret < 0 ? (int)-ret : 0;
            ret = ret < 0 ? -1 : ret;
        } else
#endif
        {
            ret = syscall(SYS_finit_module, fd, "", 0);
            err = ret < 0 ? errno : 0;
        }
        if (hold_ms > 0) {
            usleep((useconds_t)(hold_ms * 1000));
        }
        close(fd);
    } else if (strcmp(what, "delete") == 0) {
#if defined(__x86_64__)
        if (compat) {
            ret = syscall32(I386_DELETE_MODULE, (long)low_copy(arg, strlen(arg)), O_NONBLOCK, 0);
            err = ret < 0 ? (int)-ret : 0;
            ret = ret < 0 ? -1 : ret;
        } else
#endif
        {
            ret = syscall(SYS_delete_module, arg, O_NONBLOCK);
            err = ret < 0 ? errno : 0;
        }
    } else {
        fprintf(stderr, "unknown call '%s'\n", what);
        exit(2);
    }
    errno = err;
    return ret;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Issues RATE calls per second for SECONDS, paced in 1 ms slices; prints how many were made. */
static int flood(long rate, double seconds, const char *what)
{
    const char *arg = strcmp(what, "finit") == 0 ? "/dev/null" : "kmodguard_flood";
    double start = now(), end = start + seconds;
    long done = 0;
    while (now() < end) {
        long due = (long)((now() - start) * (double)rate);
        while (done < due) {
            struct timespec ts;
            clock_gettime(CLOCK_REALTIME, &ts);
            long stamp = ts.tv_sec * 1000000000L + ts.tv_nsec;
            if (strcmp(what, "finit") == 0) {
                syscall(SYS_finit_module, -1, "", stamp);
            } else if (strcmp(what, "init") == 0) {
                syscall(SYS_init_module, image, sizeof image, stamp);
            } else {
                syscall(SYS_delete_module, arg, O_NONBLOCK, stamp);
            }
            done++;
        }
        usleep(500);
    }
    printf("flood %s calls=%ld seconds=%.3f rate=%.0f\n", what, done, now() - start, (double)done / (now() - start));
    return 0;
}

/* RATE finit_module calls per second on FILE for SECONDS, each from a child process that exits at once. */
static int loaders(long rate, double seconds, const char *file)
{
    double start = now(), end = start + seconds;
    long done = 0;
    while (now() < end) {
        long due = (long)((now() - start) * (double)rate);
        while (done < due) {
            pid_t child = fork();
            if (child == 0) {
                int fd = open(file, O_RDONLY | O_CLOEXEC);
                struct timespec ts;
                clock_gettime(CLOCK_REALTIME, &ts);
                syscall(SYS_finit_module, fd, "", ts.tv_sec * 1000000000L + ts.tv_nsec);
                _exit(0);
            }
            if (child < 0) {
                perror("fork");
                return 1;
            }
            waitpid(child, NULL, 0);
            done++;
        }
        usleep(500);
    }
    printf("loaders finit calls=%ld seconds=%.3f rate=%.0f\n", done, now() - start, (double)done / (now() - start));
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s init|finit FILE|delete NAME [--comm NAME] [--32] | flood RATE SECONDS [init|finit|delete] | loaders RATE SECONDS FILE\n", argv[0]);
        return 2;
    }
    if (strcmp(argv[1], "loaders") == 0) {
        if (argc < 5) {
            fprintf(stderr, "usage: %s loaders RATE SECONDS FILE\n", argv[0]);
            return 2;
        }
        return loaders(strtol(argv[2], NULL, 10), strtod(argv[3], NULL), argv[4]);
    }
    if (strcmp(argv[1], "flood") == 0) {
        if (argc < 4) {
            fprintf(stderr, "usage: %s flood RATE SECONDS [init|finit|delete]\n", argv[0]);
            return 2;
        }
        return flood(strtol(argv[2], NULL, 10), strtod(argv[3], NULL), argc > 4 ? argv[4] : "delete");
    }

    const char *what = argv[1], *arg = NULL, *comm = NULL;
    int compat = 0;
    long hold_ms = 0;
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--comm") == 0 && i + 1 < argc) {
            comm = argv[++i];
        } else if (strcmp(argv[i], "--hold") == 0 && i + 1 < argc) {
            hold_ms = strtol(argv[++i], NULL, 10);
        } else if (strcmp(argv[i], "--32") == 0) {
            compat = 1;
        } else {
            arg = argv[i];
        }
    }
    if (strcmp(what, "init") != 0 && arg == NULL) {
        fprintf(stderr, "%s needs an argument\n", what);
        return 2;
    }
#if !defined(__x86_64__)
    if (compat) {
        fprintf(stderr, "--32 is only supported on x86_64\n");
        return 2;
    }
#endif
    if (comm != NULL && prctl(PR_SET_NAME, comm, 0, 0, 0) != 0) {
        perror("prctl(PR_SET_NAME)");
        return 2;
    }

    long ret = call(what, arg, compat, hold_ms);
    const char *name = strcmp(what, "init") == 0 ? "init_module" : strcmp(what, "finit") == 0 ? "finit_module" : "delete_module";
    printf("%s pid=%d ret=%ld errno=%d\n", name, getpid(), ret, ret < 0 ? errno : 0);
    fflush(stdout);
    if (hold_ms > 0 && strcmp(what, "finit") != 0) {
        usleep((useconds_t)(hold_ms * 1000));
    }
    return 0;
}
