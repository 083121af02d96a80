"""python-scim's scim2-server (PyPI), in memory, preloaded with the benchmark's users.

    python bench/peer.py --users N --port PORT --bearer-token TOKEN

Starts the package's own ``scim2-server`` command (its WSGI application and threading server)
after storing N users shaped as bench/seed-users.sql seeds them: id ``N``, userName ``user<N>``
(``User<N>`` for every tenth), the GUID-shaped externalId, name and work email. Ids are the
numbers, so ``GET /v2/Users/<N>`` reads the same user as the gateway's ``GET /Users/<N>``.
Users are stored through the storage's ``create``, as the server's own POST stores them.
"""

import argparse
import sys
import time

from scim2_models import Email, Name, User
from scim2_server import memory
from scim2_server.testserver import cli
from scim2_server.utils import load_default_resource_types


def user_of(n: int) -> User:
    return User(
        user_name=("User" if n % 10 == 0 else "user") + str(n),
        external_id=f"{n:08x}-0000-4000-8000-{n:012x}",
        name=Name(given_name=f"Given{n % 613}", family_name=f"Family{n % 977}"),
        emails=[Email(value=f"user{n}@example.org", type="work", primary=True)],
        active=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, required=True)
    known, rest = parser.parse_known_args()
    resource_type = load_default_resource_types()["User"]

    class PreloadedStorage(memory.InMemoryStorage):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            started = time.monotonic()
            counter = iter(range(1, known.users + 1))
            self.generate_id = lambda _type, _resource: str(next(counter))
            for n in range(1, known.users + 1):
                self.create(resource_type, user_of(n))
            del self.generate_id
            print(f"loaded {known.users} users in {time.monotonic() - started:.1f} s", flush=True)

    cli.InMemoryStorage = PreloadedStorage
    sys.argv = ["scim2-server", *rest]
    cli.main()


if __name__ == "__main__":
    main()
