"""Region CSV texts shared by the tests."""

HEADER = "code,name,level,parent_code\n"

# A small, valid slice of Kota Serang (36.73), another city of Banten, in file order.
SERANG = (
    HEADER
    + "36.73,Kota Serang,kota,36\n"
    + "36.73.01,Serang,kecamatan,36.73\n"
    + "36.73.01.1001,Cimuncang,kelurahan,36.73.01\n"
    + "36.73.01.1002,Kotabaru,kelurahan,36.73.01\n"
    + "36.73.02,Kasemen,kecamatan,36.73\n"
    + "36.73.02.1001,Kasemen,kelurahan,36.73.02\n"
)
