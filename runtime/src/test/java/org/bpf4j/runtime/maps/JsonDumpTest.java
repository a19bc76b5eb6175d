package org.bpf4j.runtime.maps;

import static org.bpf4j.runtime.maps.Bytes.*;
import static org.junit.jupiter.api.Assertions.*;

import org.bpf4j.core.object.MapType;
import org.junit.jupiter.api.Test;

/**
 * The dump has the shape {@code bpftool -j map dump} and {@code bpftool -p map dump} print without BTF; the
 * expected strings are bpftool v7.1's output for the same maps on a 2-CPU machine.
 */
class JsonDumpTest {
    private final MapRegistry registry = new MapRegistry(2);

    @Test
    void hashCompactAndPretty() {
        BpfMap h = registry.create(spec(MapType.HASH, 4, 8, 4));
        h.update(u32(1), of(1, 0, 0, 0, 0, 0, 0, 0));
        assertEquals("[{\"key\":[\"0x01\",\"0x00\",\"0x00\",\"0x00\"],"
                + "\"value\":[\"0x01\",\"0x00\",\"0x00\",\"0x00\",\"0x00\",\"0x00\",\"0x00\",\"0x00\"]}]\n", h.dumpJson());
        h.update(u32(10), of(0xff, 2, 0, 0, 0, 0, 0, 0));
        String pretty = h.dumpJson(true);
        String one = """
                {
                        "key": ["0x01","0x00","0x00","0x00"
                        ],
                        "value": ["0x01","0x00","0x00","0x00","0x00","0x00","0x00","0x00"
                        ]
                    }""";
        String ten = """
                {
                        "key": ["0x0a","0x00","0x00","0x00"
                        ],
                        "value": ["0xff","0x02","0x00","0x00","0x00","0x00","0x00","0x00"
                        ]
                    }""";
        // hash order is the table's; either order is a valid dump
        assertTrue(pretty.equals("[" + one + "," + ten + "\n]\n") || pretty.equals("[" + ten + "," + one + "\n]\n"),
                pretty);
    }

    @Test
    void emptyMapIsAnEmptyArray() {
        BpfMap h = registry.create(spec(MapType.HASH, 4, 8, 4));
        assertEquals("[]\n", h.dumpJson());
        assertEquals("[]\n", h.dumpJson(true));
    }

    @Test
    void arrayDumpsEveryIndex() {
        BpfMap a = registry.create(spec(MapType.ARRAY, 4, 4, 2));
        assertEquals("[{\"key\":[\"0x00\",\"0x00\",\"0x00\",\"0x00\"],\"value\":[\"0x00\",\"0x00\",\"0x00\",\"0x00\"]},"
                + "{\"key\":[\"0x01\",\"0x00\",\"0x00\",\"0x00\"],\"value\":[\"0x00\",\"0x00\",\"0x00\",\"0x00\"]}]\n",
                a.dumpJson());
        assertEquals("""
                [{
                        "key": ["0x00","0x00","0x00","0x00"
                        ],
                        "value": ["0x00","0x00","0x00","0x00"
                        ]
                    },{
                        "key": ["0x01","0x00","0x00","0x00"
                        ],
                        "value": ["0x00","0x00","0x00","0x00"
                        ]
                    }
                ]
                """, a.dumpJson(true));
    }

    @Test
    void perCpuMapsListEachCpusValue() {
        BpfMap a = registry.create(spec(MapType.PERCPU_ARRAY, 4, 4, 2));
        assertEquals("[{\"key\":[\"0x00\",\"0x00\",\"0x00\",\"0x00\"],\"values\":[{\"cpu\":0,\"value\":[\"0x00\","
                + "\"0x00\",\"0x00\",\"0x00\"]},{\"cpu\":1,\"value\":[\"0x00\",\"0x00\",\"0x00\",\"0x00\"]}]},"
                + "{\"key\":[\"0x01\",\"0x00\",\"0x00\",\"0x00\"],\"values\":[{\"cpu\":0,\"value\":[\"0x00\",\"0x00\","
                + "\"0x00\",\"0x00\"]},{\"cpu\":1,\"value\":[\"0x00\",\"0x00\",\"0x00\",\"0x00\"]}]}]\n", a.dumpJson());
        BpfMap h = registry.create(spec(MapType.PERCPU_HASH, 2, 3, 2));
        h.update(of(1, 2), of(1, 2, 3));
        assertEquals("""
                [{
                        "key": ["0x01","0x02"
                        ],
                        "values": [{
                                "cpu": 0,
                                "value": ["0x01","0x02","0x03"
                                ]
                            },{
                                "cpu": 1,
                                "value": ["0x01","0x02","0x03"
                                ]
                            }
                        ]
                    }
                ]
                """, h.dumpJson(true));
        assertEquals("[{\"key\":[\"0x01\",\"0x02\"],\"values\":[{\"cpu\":0,\"value\":[\"0x01\",\"0x02\",\"0x03\"]},"
                + "{\"cpu\":1,\"value\":[\"0x01\",\"0x02\",\"0x03\"]}]}]\n", h.dumpJson());
    }

    @Test
    void missingEntriesPrintTheErrorPretty() {
        BpfMap d = registry.create(spec(MapType.DEVMAP, 4, 4, 2));
        d.update(u32(0), u32(1));
        assertEquals("""
                [{
                        "key": ["0x00","0x00","0x00","0x00"
                        ],
                        "value": ["0x01","0x00","0x00","0x00"
                        ]
                    },{
                        "key": ["0x01","0x00","0x00","0x00"
                        ],
                        "value": {
                            "error": "No such file or directory"
                        }
                    }
                ]
                """, d.dumpJson(true));
    }

    @Test
    void mapsOfMapsShowInnerIdsAndSkipEmptySlots() {
        BpfMap inner = registry.create(spec(MapType.ARRAY, 4, 4, 2));
        MapOfMaps outer = registry.create(spec(MapType.ARRAY_OF_MAPS, 4, 4, 2), MapOfMaps.class);
        outer.set(1, inner);
        assertEquals("[{\"key\":[\"0x01\",\"0x00\",\"0x00\",\"0x00\"],\"value\":[\"0x0" + inner.id()
                + "\",\"0x00\",\"0x00\",\"0x00\"]}]\n", outer.dumpJson());
    }

    @Test
    void queuesAndRingBuffersDumpEmpty() {
        BpfMap q = registry.create(spec(MapType.QUEUE, 0, 4, 2));
        q.push(u32(1), 0);
        assertEquals("[]\n", q.dumpJson());
        assertEquals("[]\n", registry.create(spec(MapType.RINGBUF, 0, 0, 4096)).dumpJson(true));
    }
}
