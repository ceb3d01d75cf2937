/*
 * ops.c - the file system operations behind the syscalls, on kernel
 * strings (so that the self-tests use them too): create, unlink/rmdir,
 * getcwd, stat.  Callers run them inside op_begin()/op_end().  Link counts
 * follow fs_format.h: a directory has 2 + its subdirectories.
 */
#include "fs.h"

/* Makes a new inode of type in the locked directory dp under name. */
static int create_in(struct inode *dp, const char *name, uint16_t type, struct inode **out)
{
	struct inode *ip;
	int rc = ialloc(type, &ip);
	if (rc)
		return rc;
	if (type == VTFS_T_DIR) {
		if ((rc = dirlink(ip, ".", ip->inum)) != 0 ||
		    (rc = dirlink(ip, "..", dp->inum)) != 0)
			goto undo;
	}
	if ((rc = dirlink(dp, name, ip->inum)) != 0)
		goto undo;
	ip->d.nlink = type == VTFS_T_DIR ? 2 : 1;
	if ((rc = iupdate(ip)) != 0) {
		/* Named: leave it for fsck rather than free it (nlink is set
		 * in memory, so iput keeps it), but give it back: it stayed
		 * locked, and the next lookup of the name hung (found by
		 * review, test_kfs test_create_fail). */
		iunlockput(ip);
		return rc;
	}
	if (type == VTFS_T_DIR) {
		dp->d.nlink++;
		dp->d.mtime_ns = time_now_ns();
		iupdate(dp);
	}
	*out = ip;
	return 0;
undo:
	ip->d.nlink = 0; /* iput frees it */
	iunlockput(ip);
	return rc;
}

int fs_create(struct inode *base, const char *path, uint16_t type, bool excl, struct inode **out)
{
	char name[VTFS_NAME_MAX + 1];
	struct inode *dp, *ip;
	uint32_t inum;
	int rc = nameiparent(base, path, name, &dp);
	if (rc)
		return rc;
	if ((rc = ilock(dp)) != 0) {
		iput(dp);
		return rc;
	}
	/* A directory removed while still referenced (a cwd, a dirfd) takes
	 * no new entries, as on Linux: its blocks go at its last iput, and a
	 * name made here would leave an allocated, unreachable inode (and a
	 * subdirectory would raise the dead one's nlink so it is never freed). */
	if (dp->d.nlink == 0) {
		iunlockput(dp);
		return -VTLAB_ENOENT;
	}
	rc = dirlookup(dp, name, NULL, &inum);
	if (rc == -VTLAB_ENOENT) {
		rc = create_in(dp, name, type, out);
		iunlockput(dp);
		return rc;
	}
	iunlockput(dp);
	if (rc)
		return rc;
	if (excl || type == VTFS_T_DIR)
		return -VTLAB_EEXIST;
	if (!(ip = iget(inum)))
		return -VTLAB_ENOMEM;
	if ((rc = ilock(ip)) != 0) {
		iput(ip);
		return rc;
	}
	if (ip->d.type != VTFS_T_FILE) {
		rc = ip->d.type == VTFS_T_DIR ? -VTLAB_EISDIR : -VTLAB_EIO;
		iunlockput(ip);
		return rc;
	}
	*out = ip;
	return 0;
}

/* Checks that ip (locked) may go: the kind matches and a directory is empty. */
static int may_remove(struct inode *ip, bool rmdir)
{
	if (ip->d.type == VTFS_T_DIR) {
		if (!rmdir)
			return -VTLAB_EISDIR;
		if (ip->inum == VTFS_ROOT_INO)
			return -VTLAB_EBUSY;
		int empty = dir_is_empty(ip);
		return empty < 0 ? empty : empty ? 0 : -VTLAB_ENOTEMPTY;
	}
	return rmdir ? -VTLAB_ENOTDIR : 0;
}

int fs_unlink(struct inode *base, const char *path, bool rmdir)
{
	char name[VTFS_NAME_MAX + 1];
	struct inode *dp, *ip;
	uint32_t inum;
	uint64_t off;
	int rc = nameiparent(base, path, name, &dp);
	if (rc)
		return rc == -VTLAB_EEXIST ? -VTLAB_EBUSY : rc;
	if (!strcmp(name, ".") || !strcmp(name, "..")) {
		iput(dp);
		return -VTLAB_EINVAL;
	}
	if ((rc = ilock(dp)) != 0) {
		iput(dp);
		return rc;
	}
	if ((rc = dirlookup(dp, name, &off, &inum)) != 0 || !(ip = iget(inum))) {
		iunlockput(dp);
		return rc ? rc : -VTLAB_ENOMEM;
	}
	if ((rc = ilock(ip)) != 0) {
		iput(ip);
		iunlockput(dp);
		return rc;
	}
	if ((rc = may_remove(ip, rmdir)) == 0 && (rc = dirunlink(dp, off)) == 0) {
		if (ip->d.type == VTFS_T_DIR) {
			dp->d.nlink--; /* its ".." */
			ip->d.nlink = 0;
		} else if (ip->d.nlink > 0) {
			ip->d.nlink--;
		}
		dp->d.mtime_ns = time_now_ns();
		iupdate(dp);
		iupdate(ip);
	}
	iunlockput(ip); /* frees it if that was the last name and reference */
	iunlockput(dp);
	return rc;
}

/* Prepends "/name" to the path being built backwards at buf[*pos..]. */
static int prepend(char *buf, size_t *pos, const char *name)
{
	size_t len = strlen(name);
	if (len + 1 > *pos)
		return -VTLAB_ENAMETOOLONG;
	*pos -= len;
	memcpy(buf + *pos, name, len);
	buf[--*pos] = '/';
	return 0;
}

/* The name of cur in its parent; *parent gets the parent (referenced). */
static int step_up(struct inode *cur, char *name, struct inode **parent)
{
	uint32_t pinum;
	int rc = ilock(cur);
	if (rc)
		return rc;
	/* a removed directory has no name, and its ".." may name a freed
	 * inode (path.c, namex): ENOENT, as Linux's getcwd */
	rc = cur->d.nlink == 0 ? -VTLAB_ENOENT : dirlookup(cur, "..", NULL, &pinum);
	iunlock(cur);
	if (rc)
		return rc;
	if (!(*parent = iget(pinum)))
		return -VTLAB_ENOMEM;
	if ((rc = ilock(*parent)) == 0) {
		rc = dir_name_of(*parent, cur->inum, name);
		iunlock(*parent);
	}
	if (rc)
		iput(*parent);
	return rc;
}

int fs_getcwd(char *out, size_t n)
{
	char name[VTFS_NAME_MAX + 1];
	char *buf = kmalloc(FS_PATH_MAX);
	size_t pos = FS_PATH_MAX - 1;
	struct inode *cur, *parent;
	int rc = 0;
	if (!buf)
		return -VTLAB_ENOMEM;
	if (!fs.mounted || !(cur = fs_cwd())) {
		kfree(buf);
		return -VTLAB_EIO;
	}
	buf[pos] = 0;
	while (rc == 0 && cur->inum != VTFS_ROOT_INO) {
		if ((rc = step_up(cur, name, &parent)) == 0)
			rc = prepend(buf, &pos, name);
		iput(cur);
		cur = rc == 0 ? parent : NULL;
	}
	if (cur)
		iput(cur);
	if (rc == 0 && pos == FS_PATH_MAX - 1)
		buf[--pos] = '/';
	if (rc == 0 && FS_PATH_MAX - pos > n)
		rc = -VTLAB_ERANGE;
	if (rc == 0) {
		memcpy(out, buf + pos, FS_PATH_MAX - pos);
		rc = (int)(FS_PATH_MAX - pos); /* bytes with the NUL, as Linux */
	}
	kfree(buf);
	return rc;
}

void fs_stat(struct inode *ip, struct vtlab_stat *st)
{
	memset(st, 0, sizeof *st);
	st->st_dev = 1;
	st->st_ino = ip->inum;
	st->st_mode =
		(ip->d.type == VTFS_T_DIR ? VTLAB_S_IFDIR : VTLAB_S_IFREG) | (ip->d.mode & 07777);
	st->st_nlink = ip->d.nlink;
	st->st_size = (int64_t)ip->d.size;
	st->st_blksize = VTFS_BLOCK_SIZE;
	st->st_blocks = (int64_t)((ip->d.size + VTFS_BLOCK_SIZE - 1) / VTFS_BLOCK_SIZE *
				  VTFS_SECTORS_PER_BLOCK);
	st->st_mtime_sec = st->st_ctime_sec = st->st_atime_sec =
		(int64_t)(ip->d.mtime_ns / 1000000000u);
	st->st_mtime_nsec = st->st_ctime_nsec = st->st_atime_nsec =
		(int64_t)(ip->d.mtime_ns % 1000000000u);
}
