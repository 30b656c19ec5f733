"""The first public information pages, in plain Indonesian, so a new server has them from its first start.

Administrators edit them at /staf/informasi/. Each is also written as its first version (simple_history does not
see a migration's saves), so an administrator can always restore the original text. Local offices' phone numbers
are left out on purpose: they change, and a wrong number on a child-protection page is worse than none."""

from django.db import migrations
from django.utils import timezone

PAGES = [
    {
        "slug": "tanda-kekerasan",
        "order": 10,
        "title": "Tanda-tanda kekerasan dan eksploitasi anak",
        "summary": "Kenali tanda kekerasan fisik, psikis, seksual, penelantaran, dan eksploitasi ekonomi pada anak, dan apa yang sebaiknya Anda lakukan.",
        "body": """
<p>Anak yang mengalami kekerasan sering tidak bercerita. Mereka takut, malu, diancam, atau tidak tahu bahwa yang dialaminya salah. Karena itu orang dewasa di sekitarnya perlu mengenali tandanya. Satu tanda saja belum tentu berarti kekerasan, tetapi beberapa tanda sekaligus, atau tanda yang terus berulang, patut dilaporkan.</p>
<h2>Kekerasan fisik</h2>
<ul>
<li>Memar, luka, bekas cubitan, sundutan rokok, atau luka bakar, apalagi di bagian tubuh yang jarang terbentur: punggung, perut, paha bagian dalam, telinga.</li>
<li>Penjelasan tentang luka yang tidak masuk akal atau berubah-ubah.</li>
<li>Anak memakai baju tertutup walaupun cuaca panas, atau takut disentuh.</li>
</ul>
<h2>Kekerasan psikis</h2>
<ul>
<li>Anak sering dibentak, dihina, diancam, atau dipermalukan di depan orang lain.</li>
<li>Anak tampak sangat takut, cemas, dan murung, atau sebaliknya sangat agresif.</li>
<li>Anak kembali mengompol, sulit tidur, atau sering mimpi buruk.</li>
</ul>
<h2>Kekerasan seksual</h2>
<ul>
<li>Anak mengeluh sakit di bagian kelamin atau dubur, atau ada darah pada pakaian dalamnya.</li>
<li>Anak tahu atau meniru perilaku seksual yang tidak sesuai dengan umurnya.</li>
<li>Orang dewasa atau anak yang lebih tua sering mengajak anak menyendiri, memberi hadiah, uang, atau pulsa, lalu meminta anak merahasiakannya.</li>
<li>Anak diminta mengirim foto atau video tubuhnya lewat ponsel atau media sosial.</li>
</ul>
<h2>Penelantaran</h2>
<ul>
<li>Anak sering lapar, sangat kurus, tidak terurus, atau sakit tanpa diobati.</li>
<li>Anak kecil sering dibiarkan sendirian di rumah atau di jalan dalam waktu lama.</li>
<li>Anak tidak disekolahkan tanpa alasan yang jelas.</li>
</ul>
<h2>Eksploitasi ekonomi</h2>
<ul>
<li>Anak disuruh mengemis, mengamen, atau berjualan tisu atau koran di lampu merah dan tempat umum, sering sampai malam, dan uangnya diserahkan kepada orang dewasa.</li>
<li>Anak diantar dan dijemput oleh orang dewasa yang sama ke tempat mengemis atau berjualan.</li>
<li>Anak dipekerjakan sehingga tidak bersekolah, atau bekerja di tempat yang berbahaya: pabrik, bengkel, pelabuhan, atau tempat hiburan malam.</li>
</ul>
<h2>Eksploitasi seksual dan perdagangan anak</h2>
<ul>
<li>Anak dijanjikan pekerjaan atau uang, lalu dibawa pergi dari rumah.</li>
<li>Anak punya uang atau barang yang tidak jelas asalnya, dan bergaul dengan orang dewasa yang tidak dikenal keluarganya.</li>
</ul>
<h2>Perkawinan anak</h2>
<p>Anak di bawah umur 19 tahun tidak boleh dinikahkan (UU 16/2019 tentang Perkawinan). Memaksa anak menikah termasuk tindak pidana kekerasan seksual (UU 12/2022 tentang Tindak Pidana Kekerasan Seksual, Pasal 10).</p>
<h2>Apa yang sebaiknya Anda lakukan</h2>
<ul>
<li>Jika anak dalam bahaya sekarang, telepon <a href="tel:110">110</a> atau <a href="tel:112">112</a>.</li>
<li>Dengarkan anak dengan tenang. Percayai ceritanya, jangan menyalahkan, dan jangan memaksanya bercerita berulang-ulang.</li>
<li>Jangan mendatangi atau menuduh orang yang diduga pelaku sendiri: itu bisa membahayakan anak dan Anda.</li>
<li>Jangan menyebarkan nama, foto, atau cerita anak di media sosial atau grup WhatsApp.</li>
<li>Laporkan kepada UPTD PPA lewat <a href="/lapor/">formulir laporan</a>, SAPA 129, atau datang langsung.</li>
</ul>
""",
    },
    {
        "slug": "hak-anak",
        "order": 20,
        "title": "Hak anak",
        "summary": "Setiap anak berhak hidup, tumbuh, berkembang, dan dilindungi dari kekerasan. Inilah hak-hak itu menurut undang-undang.",
        "body": """
<p>Anak adalah setiap orang yang belum berumur 18 tahun, termasuk yang masih dalam kandungan (UU 35/2014 tentang Perubahan atas UU 23/2002 tentang Perlindungan Anak, Pasal 1). Indonesia juga terikat pada Konvensi Hak Anak Perserikatan Bangsa-Bangsa, yang disahkan dengan Keputusan Presiden 36/1990.</p>
<h2>Hak-hak anak</h2>
<ul>
<li><strong>Hidup, tumbuh, dan berkembang</strong> secara wajar sesuai harkat dan martabatnya.</li>
<li><strong>Nama dan identitas diri</strong>, termasuk akta kelahiran.</li>
<li><strong>Diasuh oleh orang tuanya sendiri</strong>, kecuali jika itu tidak demi kepentingan terbaik anak.</li>
<li><strong>Kesehatan</strong> dan jaminan sosial.</li>
<li><strong>Pendidikan</strong> dan pengajaran.</li>
<li><strong>Beristirahat, bermain, dan bergaul</strong> dengan teman sebaya, serta berkreasi.</li>
<li><strong>Menyatakan pendapat dan didengar</strong>, sesuai umur dan kematangannya.</li>
<li><strong>Dilindungi</strong> dari diskriminasi, eksploitasi ekonomi maupun seksual, penelantaran, kekejaman, kekerasan, dan penganiayaan (Pasal 13).</li>
<li><strong>Dilindungi</strong> dari penyalahgunaan dalam kegiatan politik, pelibatan dalam kerusuhan dan peperangan, serta dari kejahatan seksual (Pasal 15).</li>
</ul>
<h2>Kewajiban orang dewasa</h2>
<p>Negara, pemerintah daerah, masyarakat, keluarga, dan orang tua wajib melindungi anak (Pasal 20). Orang tua wajib mengasuh, memelihara, mendidik, dan melindungi anak, serta mencegah perkawinan pada usia anak (Pasal 26).</p>
<p>Setiap orang dilarang melakukan kekerasan terhadap anak, membiarkannya terjadi, menyuruh orang lain melakukannya, atau turut serta (Pasal 76C). Setiap orang juga dilarang mengeksploitasi anak secara ekonomi atau seksual (Pasal 76I). Pelakunya diancam pidana penjara.</p>
<h2>Kepentingan terbaik anak</h2>
<p>Dalam setiap keputusan tentang anak, yang diutamakan adalah kepentingan terbaik anak, dan pendapat anak didengar. Petugas UPTD PPA bekerja dengan prinsip ini: keselamatan dan pemulihan anak lebih dulu.</p>
<h2>Identitas anak dirahasiakan</h2>
<p>Identitas anak yang menjadi korban, saksi, atau berhadapan dengan hukum wajib dirahasiakan, termasuk dalam pemberitaan (UU 11/2012 tentang Sistem Peradilan Pidana Anak, Pasal 19). Jangan membagikan nama, foto, sekolah, atau alamat anak.</p>
""",
    },
    {
        "slug": "setelah-melapor",
        "order": 30,
        "title": "Apa yang terjadi setelah Anda melapor",
        "summary": "Dari kode laporan dan PIN sampai penanganan selesai: langkah-langkahnya, dan bagaimana kerahasiaan dijaga.",
        "body": """
<p>Setiap laporan dibaca oleh petugas UPTD PPA Kota Cilegon. Inilah langkah-langkahnya.</p>
<h2>1. Anda menerima kode laporan dan PIN</h2>
<p>Setelah mengirim laporan lewat formulir online, Anda mendapat kode laporan dan PIN. Simpan keduanya (tulis, atau ambil tangkapan layar): PIN hanya ditampilkan sekali dan tidak dapat dikirim ulang. Dengan kode dan PIN Anda bisa <a href="/lapor/cek/">mengecek laporan</a>, membaca pertanyaan petugas, dan menambah keterangan.</p>
<h2>2. Laporan diperiksa</h2>
<p>Petugas penerima pengaduan membaca laporan Anda. Laporan yang menyebut anak dalam bahaya didahulukan. Petugas memeriksa apakah anak itu sudah dikenal kantor, dan apa yang perlu dilakukan lebih dulu.</p>
<h2>3. Petugas menghubungi Anda</h2>
<p>Jika Anda meninggalkan nomor telepon, petugas menghubungi Anda untuk menanyakan hal yang belum jelas. Jika Anda melapor tanpa nama, petugas bisa meninggalkan pertanyaan yang Anda baca saat mengecek laporan dengan kode dan PIN.</p>
<h2>4. Anak dijangkau dan didampingi</h2>
<p>Bila laporan perlu ditindaklanjuti, petugas menjangkau anak dan keluarganya, dan seorang pendamping ditunjuk. Pendamping menilai kebutuhan anak dan menyusun rencana bersama Kepala UPTD PPA, misalnya pemeriksaan kesehatan, pendampingan psikologis, bantuan hukum, atau tempat yang aman.</p>
<h2>5. Rujukan ke mitra</h2>
<p>Bila perlu, penanganan dilakukan bersama instansi mitra: Unit PPA Polres Cilegon untuk proses hukum, Dinas Sosial untuk rehabilitasi sosial, puskesmas atau rumah sakit untuk layanan kesehatan. Mitra hanya menerima keterangan yang mereka butuhkan untuk tugasnya.</p>
<h2>6. Selesai</h2>
<p>Penanganan ditutup setelah anak aman dan layanan yang direncanakan selesai. Status yang Anda lihat dengan kode dan PIN ikut berubah: diterima, sedang diperiksa, sedang ditangani, ditangani bersama instansi mitra, atau selesai.</p>
<h2>Kerahasiaan</h2>
<ul>
<li>Nama dan kontak pelapor tidak diberitahukan kepada terlapor.</li>
<li>Identitas anak dirahasiakan (UU 11/2012 Pasal 19) dan hanya dibuka bagi petugas yang menanganinya.</li>
<li>Anda tidak melihat rincian penanganan anak, juga untuk melindungi anak. Yang Anda lihat adalah status laporan dan pertanyaan petugas.</li>
</ul>
""",
    },
    {
        "slug": "tanya-jawab",
        "order": 40,
        "title": "Tanya jawab",
        "summary": "Boleh tanpa nama? Apakah berbayar? Bagaimana kalau saya salah? Jawaban untuk pertanyaan yang paling sering.",
        "body": """
<h2>Apakah saya boleh melapor tanpa nama?</h2>
<p>Boleh. Anda tidak wajib mengisi nama atau nomor telepon. Tetapi jika Anda meninggalkan kontak, petugas bisa bertanya bila ada yang belum jelas, dan itu sering membantu anak lebih cepat. Kontak Anda dirahasiakan dan tidak diberitahukan kepada terlapor.</p>
<h2>Apakah melapor dipungut biaya?</h2>
<p>Tidak. Melapor dan seluruh layanan UPTD PPA untuk anak gratis. Jika ada yang meminta uang atas nama UPTD PPA, jangan dibayar, dan laporkan.</p>
<h2>Bagaimana jika saya salah atau tidak yakin?</h2>
<p>Anda tidak perlu yakin atau punya bukti. Ceritakan saja apa yang Anda lihat atau dengar; petugas yang akan memeriksa. Melapor dengan jujur demi keselamatan anak bukan kesalahan, walaupun ternyata tidak terjadi kekerasan.</p>
<h2>Bolehkah saya melapor tentang anak tetangga atau murid saya?</h2>
<p>Boleh, dan itu sangat membantu. Masyarakat, perseorangan maupun kelompok, berperan serta dalam perlindungan anak (UU 35/2014 Pasal 72). Anda tidak perlu izin orang tua anak untuk melapor.</p>
<h2>Apakah terlapor akan tahu bahwa saya yang melapor?</h2>
<p>Petugas tidak memberitahukan nama pelapor kepada terlapor. Sebaiknya Anda juga tidak menceritakan laporan Anda kepada orang lain, dan tidak mendatangi terlapor sendiri.</p>
<h2>Saya anak dan saya mengalami kekerasan. Apa yang bisa saya lakukan?</h2>
<p>Itu bukan salahmu. Kamu boleh melapor sendiri lewat <a href="/lapor/">formulir laporan</a>, telepon <a href="tel:129">SAPA 129</a>, atau WhatsApp <a href="https://wa.me/628111129129">08111-129-129</a>. Ceritakan juga kepada orang dewasa yang kamu percaya, misalnya guru atau saudara. Jika kamu dalam bahaya sekarang, telepon <a href="tel:110">110</a> atau <a href="tel:112">112</a>.</p>
<h2>Saya lupa kode atau PIN laporan.</h2>
<p>Demi keamanan, PIN tidak dapat dikirim ulang. Hubungi UPTD PPA atau SAPA 129 dan sebutkan kode laporan Anda. Jika kodenya pun hilang, Anda boleh melapor lagi dan menyebutkan bahwa ini laporan yang sama.</p>
<h2>Apa bedanya dengan melapor ke polisi?</h2>
<p>UPTD PPA mendampingi anak: kesehatan, psikologis, sosial, dan hukum. Jika ada tindak pidana, pendamping membantu keluarga melapor ke Unit PPA Polres Cilegon dan mendampingi selama prosesnya. Dalam keadaan darurat, hubungi polisi di <a href="tel:110">110</a> lebih dulu.</p>
""",
    },
    {
        "slug": "kontak-mitra",
        "order": 50,
        "title": "Kontak layanan dan mitra",
        "summary": "Nomor darurat yang bisa dihubungi kapan saja, dan lembaga di Kota Cilegon yang bekerja sama melindungi anak.",
        "body": """
<h2>Darurat dan layanan nasional (gratis, 24 jam)</h2>
<ul>
<li><strong>Polisi</strong>: <a href="tel:110">110</a></li>
<li><strong>Panggilan darurat</strong>: <a href="tel:112">112</a></li>
<li><strong>SAPA 129</strong> (Kementerian PPPA): telepon <a href="tel:129">129</a>, atau WhatsApp <a href="https://wa.me/628111129129">08111-129-129</a></li>
</ul>
<p>Lembaga-lembaga di bawah ini bekerja sama melindungi anak di Kota Cilegon. Alamat dan nomor telepon kantornya dapat berubah: lihat papan informasi di kantor tersebut, atau tanyakan di kantor kelurahan.</p>
<h2>UPTD PPA Kota Cilegon</h2>
<p>Unit Pelaksana Teknis Daerah Perlindungan Perempuan dan Anak, di bawah DP3AP2KB Kota Cilegon. Menerima pengaduan, menjangkau korban, dan mendampingi anak sampai penanganan selesai. Lapor lewat <a href="/lapor/">formulir online</a>, atau datang langsung pada jam kerja.</p>
<h2>Unit PPA Polres Cilegon</h2>
<p>Unit Pelayanan Perempuan dan Anak di kepolisian: menerima laporan tindak pidana terhadap anak dan menyidiknya. Dalam keadaan darurat, telepon 110.</p>
<h2>Dinas Sosial Kota Cilegon</h2>
<p>Rehabilitasi sosial dan bantuan bagi anak dan keluarganya, termasuk anak yang dipekerjakan, disuruh mengemis, atau hidup di jalan.</p>
<h2>Puskesmas dan rumah sakit</h2>
<p>Pemeriksaan dan perawatan kesehatan. Sampaikan kepada petugas bahwa anak diduga mengalami kekerasan.</p>
<h2>PATBM di kelurahan</h2>
<p>Perlindungan Anak Terpadu Berbasis Masyarakat: relawan di kelurahan yang membantu mencegah kekerasan dan meneruskan laporan ke UPTD PPA.</p>
""",
    },
]


def seed(apps, schema_editor):
    InfoPage = apps.get_model("publicinfo", "InfoPage")
    HistoricalInfoPage = apps.get_model("publicinfo", "HistoricalInfoPage")
    now = timezone.now()
    for values in PAGES:
        if InfoPage.objects.filter(slug=values["slug"]).exists():
            continue
        fields = values | {"body": values["body"].strip(), "is_published": True}
        page = InfoPage.objects.create(**fields)
        HistoricalInfoPage.objects.create(
            id=page.pk,
            history_date=now,
            history_type="+",
            history_change_reason="",
            updated_by=None,
            **fields,
        )


class Migration(migrations.Migration):
    dependencies = [("publicinfo", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
