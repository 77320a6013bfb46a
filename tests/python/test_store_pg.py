"""drill.Store on PostgreSQL: a URI opens a server store, tracking writes
through to it, a refused connection is a FileError without the password.
Run by `make check-python` beside tests/pg_env.sh's throwaway server
(DRILL_TEST_PG); without one these tests are skipped."""

import os
import subprocess
import unittest

import drill

SERVER = os.environ.get("DRILL_TEST_PG")


def conninfo_field(key):
    """A field of DRILL_TEST_PG ("host=... port=... user=...")."""
    return dict(part.split("=", 1) for part in SERVER.split())[key]


@unittest.skipUnless(SERVER, "no PostgreSQL server: run under tests/pg_env.sh")
class PostgreSQLStore(unittest.TestCase):
    def setUp(self):
        self.db = "py_%d_%s" % (os.getpid(), self._testMethodName.lower())
        subprocess.run(["psql", "-qAtX", "-v", "ON_ERROR_STOP=1", "-d", SERVER + " dbname=postgres",
                        "-c", "CREATE DATABASE " + self.db], check=True, stdout=subprocess.DEVNULL)
        self.uri = "postgresql://%s:s3cret@/%s?host=%s&port=%s" % (
            conninfo_field("user"), self.db, conninfo_field("host"), conninfo_field("port"))

    def test_write_through_and_load(self):
        units = drill.Units()
        units.generate(count=200)
        plan = drill.Plan(units, drill.Rules(), year=2026)
        plan.schedule(capacity=30)
        rows = plan.records()
        with drill.Store(self.uri) as store:
            store.attach(plan)
            plan.cancel(rows[1]["id"], reason="site closed", actor="clerk")
        with drill.Store(SERVER + " dbname=" + self.db, read_only=True) as store:
            again = store.load(2026)
            self.assertEqual(again[rows[1]["id"]].status, "cancelled")
            self.assertEqual(len(again.records()), len(rows))
            with self.assertRaises(drill.StateError):
                store.save(again)

    def test_refused_without_the_password(self):
        uri = "postgresql://drill:s3cret@/%s?host=/nonexistent&port=5999" % self.db
        with self.assertRaises(drill.FileError) as e:
            drill.Store(uri)
        self.assertIn("postgresql://drill:***@", str(e.exception))
        self.assertNotIn("s3cret", str(e.exception))


if __name__ == "__main__":
    unittest.main()
