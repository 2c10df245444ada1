/**
 * Names of ordinary travellers of the region for the evaluation set, by country, as their
 * passports print them (Latin page) or their registries write them (Cyrillic). Written for
 * this set from common given names and family-name patterns of each country; not taken from
 * the project's traffic generator.
 */

export interface NamePool {
  male: readonly string[];
  female: readonly string[];
  /** Family names, or stems that take the country's suffixes. */
  family: readonly string[];
  suffixes: readonly string[];
  /** Whether women's family names take -a (Karimova). */
  gendered: boolean;
  /** Whether a patronymic (-ovich/-ovna, -uly/-kyzy) is often written. */
  patronymic?: 'russian' | 'turkic';
}

export const POOLS: Record<string, NamePool> = {
  KAZ: {
    male: ['Nurlan', 'Yerlan', 'Askar', 'Daulet', 'Berik', 'Serik', 'Marat', 'Timur', 'Arman', 'Azamat', 'Bauyrzhan', 'Dauren', 'Zhanibek', 'Kairat', 'Nurzhan', 'Yerzhan', 'Aidos', 'Olzhas', 'Sanzhar', 'Almas', 'Galymzhan', 'Rustem', 'Samat', 'Talgat', 'Ержан', 'Нұрлан', 'Қайрат'],
    female: ['Aigerim', 'Aliya', 'Dinara', 'Gulnara', 'Zhanar', 'Saule', 'Madina', 'Aizhan', 'Asel', 'Dana', 'Kamila', 'Meruyert', 'Ainur', 'Gaukhar', 'Togzhan', 'Әсел', 'Гүлнар'],
    family: ['Nurlan', 'Serik', 'Zhaksybek', 'Abdrakhman', 'Ismail', 'Tokta', 'Kuanysh', 'Sultanbek', 'Baimukhamed', 'Omar', 'Yesen', 'Zhumabay', 'Kassym', 'Temirbek', 'Akhmet', 'Seit'],
    suffixes: ['ov', 'ev', 'uly', 'bekov', 'baev', 'ov'],
    gendered: true,
    patronymic: 'turkic',
  },
  KGZ: {
    male: ['Almazbek', 'Bakyt', 'Kubanychbek', 'Nurbek', 'Azamat', 'Ulan', 'Emil', 'Tilek', 'Chyngyz', 'Daniyar', 'Bolot', 'Kanat', 'Mirlan', 'Eldiyar', 'Adilet', 'Talant', 'Бакыт', 'Нурбек'],
    female: ['Aizada', 'Cholpon', 'Nurzhan', 'Aigul', 'Elnura', 'Jyldyz', 'Meerim', 'Aida', 'Begimay', 'Kanykei', 'Чолпон', 'Айгуль'],
    family: ['Sadyr', 'Atambay', 'Asan', 'Usen', 'Mamat', 'Tursun', 'Abdyldaev', 'Sydyk', 'Kurmanbek', 'Osmon', 'Japar', 'Toktogul', 'Akmat', 'Beishen'],
    suffixes: ['ov', 'ev', ' uulu', 'bekov', ' kyzy'],
    gendered: true,
  },
  TJK: {
    male: ['Firdavs', 'Jamshed', 'Farrukh', 'Bakhtiyor', 'Rustam', 'Sino', 'Daler', 'Behruz', 'Shahrom', 'Parviz', 'Faridun', 'Zafar', 'Manuchehr', 'Umed', 'Khurshed', 'Alisher', 'Комил', 'Ҷамшед', 'Ҳусейн', 'Фаррух', 'Шаҳром'],
    female: ['Nigina', 'Shahlo', 'Zarina', 'Malika', 'Tahmina', 'Farangis', 'Mehrangez', 'Sitora', 'Nilufar', 'Gulnora', 'Манижа', 'Ситора', 'Зарина'],
    family: ['Rahmon', 'Saidov', 'Nazar', 'Karim', 'Sharif', 'Davlat', 'Safar', 'Mirzo', 'Hakim', 'Nabiev', 'Qodir', 'Sattor', 'Ҳамид', 'Шариф', 'Раҳим', 'Ғафур', 'Қодир'],
    suffixes: ['zoda', 'ov', 'i', 'zod', 'ov', 'zoda', 'ӣ'],
    gendered: true,
  },
  UZB: {
    male: ['Sherzod', 'Jasur', 'Bekzod', 'Otabek', 'Sardor', 'Doniyor', 'Ulugʻbek', 'Jahongir', 'Shuhrat', 'Oybek', 'Farhod', 'Dilshod', 'Aziz', 'Botir', 'Oʻtkir', 'Gʻayrat', 'Shavkat', 'Xurshid', 'Ravshan', 'Шерзод', 'Улуғбек', 'Ўткир'],
    female: ['Dilnoza', 'Gulnoza', 'Nodira', 'Shahnoza', 'Feruza', 'Zulfiya', 'Mohira', 'Madina', 'Sevara', 'Gulchehra', 'Oʻgʻiloy', 'Дилноза', 'Гўзал'],
    family: ['Tursun', 'Rashid', 'Karim', 'Yusup', 'Xoʻjа', 'Abdulla', 'Ergash', 'Norboy', 'Qodir', 'Mirza', 'Sobir', 'Joʻra', 'Ismoil', 'Gʻulom', 'Турсун', 'Жўра', 'Ғулом'],
    suffixes: ['ov', 'ov', 'bekov', 'jonov', 'xoʻjayev', 'ev'],
    gendered: true,
  },
  TKM: {
    male: ['Berdimuhamed', 'Serdar', 'Merdan', 'Dovlet', 'Gurbanguly', 'Maksat', 'Rahym', 'Batyr', 'Kerim', 'Atajan', 'Myrat', 'Ýusup', 'Döwlet', 'Şatlyk'],
    female: ['Ogulgerek', 'Jeren', 'Maýa', 'Aýna', 'Bahar', 'Gülnar', 'Ogulbibi', 'Selbi', 'Ýazgul'],
    family: ['Orazow', 'Gurbanow', 'Annaýew', 'Hojamuhammedow', 'Meredow', 'Berdiýew', 'Gylyjow', 'Rejepow', 'Atayev', 'Gulyyev', 'Orazov', 'Myradov'],
    suffixes: [''],
    gendered: true,
  },
  RUS: {
    male: ['Aleksandr', 'Dmitriy', 'Sergey', 'Andrey', 'Aleksey', 'Mikhail', 'Ivan', 'Nikolay', 'Vladimir', 'Yevgeniy', 'Pavel', 'Oleg', 'Artyom', 'Igor', 'Юрий', 'Сергей', 'Алексей', 'Дмитрий', 'Ruslan', 'Magomed', 'Ramzan', 'Akhmed'],
    female: ['Yelena', 'Olga', 'Natalya', 'Tatyana', 'Irina', 'Svetlana', 'Anna', 'Mariya', 'Yekaterina', 'Юлия', 'Ольга', 'Наталья'],
    family: ['Ivanov', 'Smirnov', 'Kuznetsov', 'Popov', 'Vasilyev', 'Petrov', 'Sokolov', 'Mikhaylov', 'Novikov', 'Fedorov', 'Morozov', 'Volkov', 'Zhukov', 'Shcherbakov', 'Chernov', 'Zaytsev', 'Kozlov', 'Belov', 'Orlov', 'Egorov', 'Yakovlev', 'Kiselev', 'Tarasov', 'Shevchenko', 'Жуков', 'Щербаков', 'Чернышёв', 'Magomedov', 'Aliev', 'Kadyrov', 'Umarov', 'Dudaev', 'Ismailov'],
    suffixes: [''],
    gendered: true,
    patronymic: 'russian',
  },
  AFG: {
    male: ['Ahmad', 'Mohammad', 'Abdul Wahid', 'Farid', 'Hamid', 'Najib', 'Rahim', 'Zabihullah', 'Ghulam Sakhi', 'Noor Ahmad', 'Sayed Jawad', 'Abdul Qadir', 'Khalil', 'Wahidullah', 'Bashir', 'Mirwais', 'Shafiq', 'Nasir', 'Habib', 'Asadullah', 'Rohullah', 'Zalmai', 'Massoud', 'Obaidullah', 'Jawed'],
    female: ['Fatima', 'Maryam', 'Zahra', 'Shabnam', 'Farzana', 'Nargis', 'Parwana', 'Roya', 'Mursal', 'Freshta', 'Laila', 'Sima', 'Hasina'],
    family: ['Ahmadzai', 'Popal', 'Stanekzai', 'Sultani', 'Rahimi', 'Hashimi', 'Amiri', 'Karimi', 'Azizi', 'Noorzai', 'Barakzai', 'Safi', 'Wardak', 'Mohmand', 'Sadat', 'Naseri', 'Qaderi', 'Habibi', 'Nazari', 'Sharifi', 'Jalali', 'Hakimi', 'Rasuli', 'Samadi', 'Mansoori'],
    suffixes: [''],
    gendered: false,
  },
  PAK: {
    male: ['Muhammad Imran', 'Ali Raza', 'Usman', 'Bilal', 'Hamza', 'Zeeshan', 'Faisal', 'Asif', 'Kashif', 'Waqar', 'Adnan', 'Naveed', 'Shahid', 'Tariq', 'Irfan', 'Junaid', 'Sohail', 'Danish', 'Kamran', 'Atif', 'Shoaib', 'Saad'],
    female: ['Ayesha', 'Sana', 'Hina', 'Rabia', 'Sadia', 'Mehwish', 'Nida', 'Amna', 'Iqra', 'Saima', 'Bushra', 'Kiran'],
    family: ['Khan', 'Malik', 'Butt', 'Chaudhry', 'Qureshi', 'Sheikh', 'Siddiqui', 'Awan', 'Rajput', 'Mirza', 'Abbasi', 'Hussain', 'Iqbal', 'Akhtar', 'Javed', 'Raza', 'Ashraf', 'Bhatti', 'Shah', 'Yousaf'],
    suffixes: [''],
    gendered: false,
  },
  AZE: {
    male: ['Elvin', 'Rashad', 'Orkhan', 'Tural', 'Elnur', 'Vugar', 'Ilham', 'Farid', 'Kamran', 'Nijat'],
    female: ['Aynur', 'Gunel', 'Leyla', 'Nigar', 'Sevinj', 'Aysel'],
    family: ['Mammad', 'Aliyev', 'Hasan', 'Huseyn', 'Guliyev', 'Ismayil', 'Rzayev', 'Babayev', 'Abbas', 'Jafar'],
    suffixes: ['ov', 'li', 'zade', ''],
    gendered: true,
  },
};
