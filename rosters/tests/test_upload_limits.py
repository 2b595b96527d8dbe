"""Uploads that cannot hurt the server: zip bombs are refused naming the file, and reading a
big export keeps the worker's memory small, whatever the size of its files."""

import tracemalloc
import zipfile

import pytest

from rosters.oneroster import archive as oneroster_archive
from rosters.oneroster import read_oneroster
from rosters.schedule_data import ScheduleFileError
from rosters.tests.test_oneroster_reader import USERS_11, export_files, manifest_for

MB = 1024 * 1024


def zip_export(path, **overrides: str | bytes):
    files = export_files(**{k: v for k, v in overrides.items() if isinstance(v, str)})
    files["manifest.csv"] = manifest_for(files)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            archive.writestr(name, overrides.get(name.removesuffix(".csv"), text))
    return path


def students(megabytes: int) -> bytes:
    """users.csv: the school's teachers, then students until the file is this big. Names
    differ row to row, as in a real district, so that it packs like a real export."""
    rows, size, n = [USERS_11.encode()], 0, 0
    while size < megabytes * MB:
        row = (
            f"st{n:07d},active,true,s1,student,stu{n * 7919 % 1000003},Given{n * 31 % 9973},"
            f"Family{n * 17 % 7919},stu{n}@students.example.org,{n},"
            f'"{", ".join(f"guardian-{n * k % 104729:06d}" for k in (3, 5, 7, 11, 13, 17))}",'
            f"{n * 13 % 99991:05d}-{n * 7 % 9973:04d}-{n % 89:02d},"
            f"Preferred{n * 37 % 4099} Middle{n * 41 % 3001}\n"
        ).encode()
        rows.append(row)
        size += len(row)
        n += 1
    return b"".join(rows)


def test_a_zip_bomb_is_refused_naming_the_file(tmp_path):
    # 50 MB of one repeated row packs into about 150 KB: no real export packs like that.
    bomb = USERS_11.encode() + b"st1,active,true,s1,student,x,y,z,,1\n" * (50 * MB // 36)
    archive = zip_export(tmp_path / "export.zip", users=bomb)
    assert archive.stat().st_size < 300 * 1024

    with pytest.raises(ScheduleFileError) as refused:
        read_oneroster(archive)

    [problem] = refused.value.problems

    assert problem.file == "export.zip"
    assert problem.message.startswith("entry 'users.csv' unpacks")
    assert "zip bomb" in problem.message


def test_a_file_larger_than_the_limit_for_one_file_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(oneroster_archive, "MAX_MEMBER_BYTES", 2 * MB)
    archive = zip_export(tmp_path / "export.zip", users=students(3))

    with pytest.raises(ScheduleFileError, match=r"entry 'users\.csv' unpacks to more than 2 MB"):
        read_oneroster(archive)


def test_sizes_an_archive_lies_about_are_caught_while_it_unpacks(tmp_path, monkeypatch):
    archive = zip_export(tmp_path / "export.zip", users=students(3))
    # As if the archive declared small sizes: only the bytes that come out can tell.
    monkeypatch.setattr(oneroster_archive, "check_archive", lambda infos, label: None)
    monkeypatch.setattr(oneroster_archive, "MAX_MEMBER_BYTES", 2 * MB)

    with pytest.raises(ScheduleFileError, match=r"entry 'users\.csv' unpacks to more than 2 MB"):
        read_oneroster(archive)


def test_reading_a_50_mb_users_file_keeps_memory_small(tmp_path):
    archive = zip_export(tmp_path / "district.zip", users=students(50))

    tracemalloc.start()
    try:
        data = read_oneroster(archive)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert list(data.teachers) == ["t1", "t2", "t3"]
    assert any(note.startswith("skipped ") and "student users" in note for note in data.notes)
    # Before, the whole file, its text and every row were held at once: over 1 GB.
    assert peak < 10 * MB, f"peak {peak / MB:.1f} MB"
