#!/usr/bin/env python3
"""Baseline for `citywatch-bench import`: Python's csv + sqlite3 doing the same inserts.

Reads a registry CSV (UTF-8 with or without BOM, or CP949), and inserts one row per site and
one row per camera into a new SQLite file in one transaction, with the same columns CityWatch
stores. It validates nothing and compares nothing: the floor of what an import can cost.
Usage: baseline_import.py FILE DATABASE
"""
import csv
import io
import sqlite3
import sys
import uuid


def open_text(path):
    raw = open(path, "rb").read(65536)
    for encoding in ("utf-8-sig", "cp949"):
        try:
            raw.decode(encoding)
            return open(path, newline="", encoding=encoding)
        except UnicodeDecodeError:
            continue
    return open(path, newline="", encoding="cp949", errors="replace")


def main(path, database):
    db = sqlite3.connect(database)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("""CREATE TABLE sites (id BLOB PRIMARY KEY, registry_key TEXT UNIQUE, local_government_code TEXT,
        management_number TEXT, agency TEXT, road_address TEXT, lot_address TEXT, purpose TEXT, purpose_text TEXT,
        camera_count INTEGER, pixels TEXT, view_direction TEXT, retention_days TEXT, install_year_month TEXT, phone TEXT,
        latitude REAL, longitude REAL, data_date TEXT, update_kind TEXT, source_updated_at TEXT, source_modified_at TEXT,
        seen_import BLOB, created_at REAL, updated_at REAL)""")
    db.execute("""CREATE TABLE cameras (id BLOB PRIMARY KEY, site_id BLOB REFERENCES sites(id) ON DELETE CASCADE,
        position INTEGER, name TEXT, enabled INTEGER, created_at REAL, updated_at REAL, UNIQUE(site_id, position))""")
    sites, cameras = [], []
    with open_text(path) as handle:
        reader = csv.reader(handle)
        header = next(reader)
        column = {name.strip(): i for i, name in enumerate(header)}
        def get(row, name, alt=None):
            i = column.get(name, column.get(alt))
            return row[i].strip() if i is not None and i < len(row) else ""
        for row in reader:
            if len(row) != len(header):
                continue
            site = uuid.uuid4().bytes
            count = int(get(row, "카메라대수") or 1)
            sites.append((site, "no|" + get(row, "개방자치단체코드") + "|" + get(row, "관리번호"), get(row, "개방자치단체코드"),
                          get(row, "관리번호"), get(row, "관리기관명"), get(row, "소재지도로명주소"), get(row, "소재지지번주소"),
                          "", get(row, "설치목적구분"), count, get(row, "카메라화소수"), get(row, "촬영방면정보"),
                          get(row, "보관일수"), get(row, "설치연월", "설치년월"), get(row, "관리기관전화번호"),
                          float(get(row, "WGS84위도", "위도")), float(get(row, "WGS84경도", "경도")), get(row, "데이터기준일자"),
                          get(row, "데이터갱신구분"), get(row, "데이터갱신시점"), get(row, "최종수정시점"), None, 0.0, 0.0))
            for position in range(1, count + 1):
                cameras.append((uuid.uuid4().bytes, site, position, None, 1, 0.0, 0.0))
    with db:
        db.executemany("INSERT INTO sites VALUES (" + ",".join("?" * 24) + ")", sites)
        db.executemany("INSERT INTO cameras VALUES (?,?,?,?,?,?,?)", cameras)
    db.close()
    print(f"{len(sites)} sites, {len(cameras)} cameras")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
