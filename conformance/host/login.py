"""The login check both upstream ``user_authorization`` functions share (agc/ and vicidial/).

Ten failed logins lock an account for 15 minutes; a failure counts up, or restarts the
count once the lock has expired. The callers choose the lowest user level they accept and
what they report and record (the vicidial/ one also stamps a successful login).
"""

from __future__ import annotations

from ..tables.database import Database

LOCK_ATTEMPTS, LOCK_SECONDS = 10, 900


def credentials_match(db: Database, user: str, password: str, above_level: int, epoch: int) -> bool:
    """Active user, right password, level above ``above_level``, and not locked out."""
    return db.value(
        "SELECT count(*) FROM vicidial_users WHERE user=? AND pass=? AND user_level > ? AND active='Y' "
        f"AND (failed_login_count < ? OR {db.dialect.epoch('last_login_date')} < ?)",
        user, password, above_level, LOCK_ATTEMPTS, epoch - LOCK_SECONDS) > 0


def count_failure(db: Database, user: str, epoch: int, now: str) -> bool:
    """Record a failed login as upstream does; True when the account is locked."""
    row = db.one(f"SELECT failed_login_count, {db.dialect.epoch('last_login_date')} FROM vicidial_users WHERE user=?",
                 user)
    if row is None:
        return False
    failed, last_login = int(row[0] or 0), int(row[1] or 0)
    if failed < LOCK_ATTEMPTS:
        db.write("UPDATE vicidial_users SET failed_login_count=failed_login_count+1 WHERE user=?", user)
    elif epoch - LOCK_SECONDS > last_login:
        db.write("UPDATE vicidial_users SET failed_login_count=1, last_login_date=? WHERE user=?", now, user)
    else:
        return True
    return False
