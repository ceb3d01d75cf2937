/*
 * path.c - path lookup (after xv6-riscv's namex): absolute paths start at
 * the root, relative ones at a base directory (a dirfd's inode) or the
 * process's cwd; "." and ".." are ordinary entries of every directory (the
 * root's ".." is itself).  One inode is locked at a time while walking.
 */
#include "fs.h"

struct inode *fs_root(void)
{
	return iget(VTFS_ROOT_INO);
}

/* The threads of a process share its cwd: chdir's swap of p->cwd and
 * every read of it that takes a reference (lookups, getcwd, fork) happen
 * under cwd_lock, so two chdirs cannot both drop the same old directory
 * and a lookup cannot take a reference to one a chdir has just dropped.
 * Lock order: cwd_lock -> the inode table lock (idup). */
static struct spinlock cwd_lock = { 0, -1, "cwd" };

struct inode *fs_cwd_ref(struct proc *p)
{
	struct inode *ip = NULL;
	spin_lock(&cwd_lock);
	if (p->cwd)
		ip = idup(p->cwd);
	spin_unlock(&cwd_lock);
	return ip;
}

struct inode *fs_cwd_swap(struct proc *p, struct inode *ip)
{
	spin_lock(&cwd_lock);
	struct inode *old = p->cwd;
	p->cwd = ip;
	spin_unlock(&cwd_lock);
	return old;
}

struct inode *fs_cwd(void)
{
	struct proc *p = myproc();
	struct inode *ip = p ? fs_cwd_ref(p) : NULL;
	return ip ? ip : fs_root();
}

/* Copies the next element of path into name; returns the rest (NULL at
 * the end).  *err = -VTLAB_ENAMETOOLONG when the element is too long. */
static const char *skipelem(const char *path, char *name, int *err)
{
	const char *start;
	size_t len;
	while (*path == '/')
		path++;
	if (*path == 0)
		return NULL;
	start = path;
	while (*path != '/' && *path != 0)
		path++;
	len = (size_t)(path - start);
	if (len > VTFS_NAME_MAX) {
		*err = -VTLAB_ENAMETOOLONG;
		len = VTFS_NAME_MAX;
	}
	memcpy(name, start, len);
	name[len] = 0;
	while (*path == '/')
		path++;
	return path;
}

static int namex(struct inode *base, const char *path, bool parent, char *name, struct inode **out)
{
	struct inode *ip, *next;
	uint32_t inum;
	int rc, err = 0;
	if (!fs.mounted)
		return -VTLAB_EIO;
	if (*path == 0)
		return -VTLAB_ENOENT;
	ip = *path == '/' ? fs_root() : base ? idup(base) : fs_cwd();
	if (!ip)
		return -VTLAB_ENOMEM;
	while ((path = skipelem(path, name, &err)) != NULL) {
		if (err) {
			iput(ip);
			return err;
		}
		if ((rc = ilock(ip)) != 0) {
			iput(ip);
			return rc;
		}
		if (ip->d.type != VTFS_T_DIR) {
			iunlockput(ip);
			return -VTLAB_ENOTDIR;
		}
		if (parent && *path == 0) {
			iunlock(ip);
			*out = ip;
			return 0;
		}
		if (ip->d.nlink == 0 && strcmp(name, ".") != 0) {
			/* A removed directory (a cwd or an open fd) holds only
			 * "." and "..", and its ".." may name a parent removed
			 * and freed since, or reused: nothing is found in it
			 * but itself (as Linux, for a dead directory). */
			iunlockput(ip);
			return -VTLAB_ENOENT;
		}
		if ((rc = dirlookup(ip, name, NULL, &inum)) != 0) {
			iunlockput(ip);
			return rc;
		}
		next = iget(inum);
		iunlockput(ip);
		if (!next)
			return -VTLAB_ENOMEM;
		ip = next;
	}
	if (parent) { /* "/" has no parent entry */
		iput(ip);
		return -VTLAB_EEXIST;
	}
	*out = ip;
	return 0;
}

int namei(struct inode *base, const char *path, struct inode **out)
{
	char name[VTFS_NAME_MAX + 1];
	return namex(base, path, false, name, out);
}

int nameiparent(struct inode *base, const char *path, char *name, struct inode **out)
{
	return namex(base, path, true, name, out);
}

struct inode *fs_namei(const char *path)
{
	struct inode *ip;
	op_begin(); /* namex's iputs may free a directory removed meanwhile */
	int rc = namei(NULL, path, &ip);
	op_end();
	return rc == 0 ? ip : NULL;
}
