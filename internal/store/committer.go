package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"runtime/debug"
	"sync"
	"sync/atomic"
)

// maxBatch bounds how many waiting writes share one SQLite transaction.
const maxBatch = 128

// maxPrepared bounds the writer's prepared statements.
const maxPrepared = 512

// committer is SQLite's one writer. SQLite lets one connection write at a
// time; with a pool, concurrent writers wait for the lock in busy_timeout's
// sleeps and each connection's page cache is thrown away whenever another
// connection wrote. So every write transaction, and every write statement
// sent outside one, is a job for one goroutine that owns the only writing
// connection. It takes the first job waiting and every other job already
// queued behind it (never waiting for more, so a lone write is not
// delayed), runs them in one BEGIN IMMEDIATE transaction, each inside its
// own savepoint, commits once, and only then answers each job: a job is
// answered success only when what it wrote is committed. A job that fails
// rolls back its savepoint alone; if the commit fails, every job of the
// batch fails and nothing of it is written. Group commit: N concurrent
// outcomes cost one commit and one WAL write of the pages they share.
type committer struct {
	db       *sql.DB // the writing connection, alone in its pool
	stmts    *atomic.Int64
	jobs     chan *job
	quit     chan struct{}
	stopped  chan struct{}
	prepared map[string]*sql.Stmt // used by the loop goroutine only
	wanted   map[string]struct{}  // run unprepared in this batch
	batches  atomic.Int64         // transactions begun
	writes   atomic.Int64         // jobs run in them
	closing  sync.Once
}

// errClosed is the cause given to writes refused once the database is
// closed.
var errClosed = errors.New("database closed")

// job is one write transaction waiting for the committer.
type job struct {
	ctx  context.Context
	op   string
	fn   func(r runner) error
	done chan error
}

func newCommitter(db *sql.DB, stmts *atomic.Int64) *committer {
	c := &committer{db: db, stmts: stmts, jobs: make(chan *job, maxBatch),
		quit: make(chan struct{}), stopped: make(chan struct{}), prepared: map[string]*sql.Stmt{}, wanted: map[string]struct{}{}}
	go c.loop()
	return c
}

// do runs fn in a transaction of the committer's and returns once that
// transaction has committed (nil) or fn's or the commit's error. Should
// ctx end before the job starts, it never runs.
func (c *committer) do(ctx context.Context, op string, fn func(r runner) error) error {
	select {
	case <-c.quit:
		return unavailable(op, errClosed)
	default:
	}
	j := &job{ctx: ctx, op: op, fn: fn, done: make(chan error, 1)}
	select {
	case c.jobs <- j:
	case <-ctx.Done():
		return classify(op+": begin", ctx.Err())
	case <-c.quit:
		return unavailable(op, errClosed)
	}
	// Once queued, the job is answered even if ctx ends: whether it
	// committed must not be guessed. Only a job queued as the database
	// closed may find no one to answer it, and it never ran.
	var err error
	select {
	case err = <-j.done:
	case <-c.stopped:
		select {
		case err = <-j.done:
		default:
			return unavailable(op, errClosed)
		}
	}
	var p *jobPanic
	if errors.As(err, &p) {
		panic(p) // on the caller's goroutine, as if fn had run there
	}
	return err
}

// jobPanic carries a job's panic back to the goroutine that queued it:
// the writer itself must live on.
type jobPanic struct {
	value any
	stack []byte
}

func (p *jobPanic) Error() string { return fmt.Sprintf("panic in a write: %v\n%s", p.value, p.stack) }

// call runs a job's fn, turning a panic into a *jobPanic.
func call(j *job, r runner) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = &jobPanic{value: v, stack: debug.Stack()}
		}
	}()
	return j.fn(r)
}

// close stops the loop after the batch in progress and closes the
// writing connection.
func (c *committer) close() error {
	c.closing.Do(func() { close(c.quit) })
	<-c.stopped
	for q, st := range c.prepared {
		st.Close()
		delete(c.prepared, q)
	}
	return c.db.Close()
}

func (c *committer) loop() {
	defer close(c.stopped)
	batch := make([]*job, 0, maxBatch)
	for {
		batch = batch[:0]
		select {
		case j := <-c.jobs:
			batch = append(batch, j)
		case <-c.quit:
			c.refuseQueued()
			return
		}
	drain:
		for len(batch) < maxBatch {
			select {
			case j := <-c.jobs:
				batch = append(batch, j)
			default:
				break drain
			}
		}
		c.run(batch)
		c.prepareWanted()
	}
}

// refuseQueued answers the jobs still queued when the database closes.
func (c *committer) refuseQueued() {
	for {
		select {
		case j := <-c.jobs:
			j.done <- unavailable(j.op, errClosed)
		default:
			return
		}
	}
}

// run runs one batch in one transaction and answers every job of it.
func (c *committer) run(batch []*job) {
	c.batches.Add(1)
	c.writes.Add(int64(len(batch)))
	errs := make([]error, len(batch))
	defer func() {
		for i, j := range batch {
			j.done <- errs[i]
		}
	}()
	tx, err := c.db.BeginTx(context.Background(), nil)
	if err != nil {
		for i, j := range batch {
			errs[i] = classify(j.op+": begin", err)
		}
		return
	}
	r := runner{q: preparedTx{tx: tx, c: c}, dialect: SQLite, stmts: c.stmts, detach: true}
	if len(batch) == 1 {
		c.runAlone(tx, r, batch[0], &errs[0])
		return
	}
	for i, j := range batch {
		if err := c.runSaved(tx, r, j, &errs[i]); err != nil {
			// The transaction itself is lost (SQLite rolled it back):
			// nothing of the batch is written, so every job fails.
			tx.Rollback()
			for k, j := range batch {
				if errs[k] == nil {
					errs[k] = unavailable(j.op, err)
				}
			}
			return
		}
	}
	if err := tx.Commit(); err != nil {
		for i, j := range batch {
			if errs[i] == nil {
				errs[i] = classify(j.op+": commit", err)
			}
		}
	}
}

// runAlone runs a batch of one job without a savepoint.
func (c *committer) runAlone(tx *sql.Tx, r runner, j *job, jobErr *error) {
	if err := j.ctx.Err(); err != nil {
		tx.Rollback()
		*jobErr = classify(j.op+": begin", err)
		return
	}
	if err := call(j, r); err != nil {
		tx.Rollback()
		*jobErr = err
		return
	}
	if err := tx.Commit(); err != nil {
		*jobErr = classify(j.op+": commit", err)
	}
}

// runSaved runs one job of a batch inside a savepoint, setting jobErr to
// the job's own failure (its savepoint rolled back). It returns an error
// only when the savepoint cannot be taken or undone, that is when the
// whole transaction is lost.
func (c *committer) runSaved(tx *sql.Tx, r runner, j *job, jobErr *error) error {
	if err := j.ctx.Err(); err != nil {
		*jobErr = classify(j.op+": begin", err)
		return nil
	}
	bg := context.Background()
	if _, err := tx.ExecContext(bg, "SAVEPOINT job"); err != nil {
		return fmt.Errorf("savepoint: %w", err)
	}
	if err := call(j, r); err != nil {
		*jobErr = err
		if _, err := tx.ExecContext(bg, "ROLLBACK TO job"); err != nil {
			return fmt.Errorf("rollback to savepoint: %w", err)
		}
	}
	if _, err := tx.ExecContext(bg, "RELEASE job"); err != nil {
		return fmt.Errorf("release savepoint: %w", err)
	}
	return nil
}

// statement returns query prepared on the writing connection, or nil
// if it is not prepared yet: then the query runs unprepared this once and
// is prepared after the batch, when the connection is free (preparing
// through the pool now would wait for the connection the batch holds).
func (c *committer) statement(query string) *sql.Stmt {
	if st, ok := c.prepared[query]; ok {
		return st
	}
	c.wanted[query] = struct{}{}
	return nil
}

// prepareWanted prepares the statements the last batch ran unprepared.
// Past maxPrepared the cache is emptied first, so queries built with a
// varying number of placeholders cannot grow it without end; a statement
// that fails to prepare is simply run unprepared next time too.
func (c *committer) prepareWanted() {
	if len(c.wanted) == 0 {
		return
	}
	if len(c.prepared)+len(c.wanted) > maxPrepared {
		for q, st := range c.prepared {
			st.Close()
			delete(c.prepared, q)
		}
	}
	for q := range c.wanted {
		delete(c.wanted, q)
		if len(c.prepared) >= maxPrepared {
			continue
		}
		if st, err := c.db.PrepareContext(context.Background(), q); err == nil {
			c.prepared[q] = st
		}
	}
}

// preparedTx runs a batch's statements through statements prepared once
// on the writing connection: parsing SQL is a fifth of a write's CPU.
type preparedTx struct {
	tx *sql.Tx
	c  *committer
}

func (p preparedTx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if st := p.c.statement(query); st != nil {
		return p.tx.StmtContext(ctx, st).ExecContext(ctx, args...)
	}
	return p.tx.ExecContext(ctx, query, args...)
}

func (p preparedTx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if st := p.c.statement(query); st != nil {
		return p.tx.StmtContext(ctx, st).QueryContext(ctx, args...)
	}
	return p.tx.QueryContext(ctx, query, args...)
}

func (p preparedTx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if st := p.c.statement(query); st != nil {
		return p.tx.StmtContext(ctx, st).QueryRowContext(ctx, args...)
	}
	return p.tx.QueryRowContext(ctx, query, args...)
}
