/*
 * record_table.h - vtlab_records(PTR, N): a table-valued function that
 * shows N trace records held in the writer's memory as rows, so one
 * INSERT ... SELECT stores a whole batch (db/writer.c) without binding ten
 * parameters per record.  Private to db/.
 *
 * Contract: the rows are records[0..N-1] in order, with the columns seq,
 * vcpu, level, type, reason, cycles, addr0, addr1, aux (64-bit unsigned
 * values as the signed integer with the same bits, like db/writer.c).  PTR
 * must be bound with sqlite3_bind_pointer(stmt, i, recs, DB_RECORDS_PTR,
 * NULL): SQL text cannot forge such a pointer (sqlite.org/bindptr.html),
 * and the function gives no rows without one.  It is usable only from
 * top-level SQL (SQLITE_VTAB_DIRECTONLY), never from a view or trigger
 * stored in a database.  Nothing is written to the database file: the
 * module exists per connection, registered by dbi_record_table_register().
 */
#ifndef DB_RECORD_TABLE_H
#define DB_RECORD_TABLE_H

#include <sqlite3.h>

#define DB_RECORDS_PTR "vtlab_trace_records"

/* Registers vtlab_records on connection h.  Returns an SQLite result code. */
int dbi_record_table_register(sqlite3 *h);

#endif
