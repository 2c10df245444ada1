/**
 * Traffic profiles of the region for the synthetic generator: volumes, nationality
 * mixes and goods per post, names, carriers and routes. Volumes are plausible orders of
 * magnitude for a weekday, not official statistics.
 */

export interface PostProfile {
  id: string;
  /** UTC offset of the post's local time. */
  offset: '+05:00' | '+06:00';
  kind: 'land' | 'rail' | 'air' | 'sea';
  /** Crossings and cargo declarations on an ordinary weekday. */
  dailyCrossings: number;
  dailyCargo: number;
  /** Home country of the post and the country on the other side. */
  home: string;
  neighbour: string;
  nationalities: Record<string, number>;
  /** HS codes of goods entering and leaving through the post. */
  imports: string[];
  exports: string[];
}

export const POSTS: PostProfile[] = [
  { id: 'KZ-KHORGOS', offset: '+05:00', kind: 'rail', dailyCrossings: 300, dailyCargo: 400, home: 'KAZ', neighbour: 'CHN', nationalities: { KAZ: 55, CHN: 40, RUS: 5 }, imports: ['847130', '620342', '640399', '392690', '940360', '870899', '401120', '854231'], exports: ['720839', '260300', '100199'] },
  { id: 'KZ-NURZHOLY', offset: '+05:00', kind: 'land', dailyCrossings: 2500, dailyCargo: 600, home: 'KAZ', neighbour: 'CHN', nationalities: { KAZ: 50, CHN: 40, KGZ: 3, UZB: 3, RUS: 4 }, imports: ['847130', '620342', '640399', '392690', '940360', '870899', '401120'], exports: ['100199', '720839', '220300'] },
  { id: 'KZ-ZHIBEKZHOLY', offset: '+05:00', kind: 'land', dailyCrossings: 6000, dailyCargo: 300, home: 'KAZ', neighbour: 'UZB', nationalities: { UZB: 60, KAZ: 35, TJK: 3, RUS: 2 }, imports: ['081310', '080810', '520100', '620342', '071331'], exports: ['100199', '720839', '271019', '252329'] },
  { id: 'KZ-KORDAY', offset: '+05:00', kind: 'land', dailyCrossings: 5000, dailyCargo: 350, home: 'KAZ', neighbour: 'KGZ', nationalities: { KGZ: 50, KAZ: 45, RUS: 3, UZB: 2 }, imports: ['620342', '640399', '071331', '080810'], exports: ['100199', '271019', '252329', '220300'] },
  { id: 'KG-AKZHOL', offset: '+06:00', kind: 'land', dailyCrossings: 4500, dailyCargo: 300, home: 'KGZ', neighbour: 'KAZ', nationalities: { KGZ: 55, KAZ: 40, RUS: 3, UZB: 2 }, imports: ['100199', '271019', '252329', '220300'], exports: ['620342', '640399', '071331', '080810'] },
  { id: 'KG-DOSTUK', offset: '+06:00', kind: 'land', dailyCrossings: 2500, dailyCargo: 150, home: 'KGZ', neighbour: 'UZB', nationalities: { UZB: 55, KGZ: 43, TJK: 2 }, imports: ['081310', '520100', '620342'], exports: ['071331', '252329'] },
  { id: 'UZ-OYBEK', offset: '+05:00', kind: 'land', dailyCrossings: 3000, dailyCargo: 200, home: 'UZB', neighbour: 'TJK', nationalities: { TJK: 55, UZB: 43, RUS: 2 }, imports: ['081310', '260300', '520100'], exports: ['620342', '252329', '300490', '100199'] },
  { id: 'UZ-AYRITOM', offset: '+05:00', kind: 'land', dailyCrossings: 400, dailyCargo: 250, home: 'UZB', neighbour: 'AFG', nationalities: { UZB: 50, AFG: 45, TJK: 3, PAK: 2 }, imports: ['081310', '570110', '071331'], exports: ['100199', '271019', '252329', '310230', '720839', '300490'] },
  { id: 'UZ-ALAT', offset: '+05:00', kind: 'land', dailyCrossings: 800, dailyCargo: 150, home: 'UZB', neighbour: 'TKM', nationalities: { UZB: 50, TKM: 48, RUS: 2 }, imports: ['271019', '310230'], exports: ['620342', '080810', '300490'] },
  { id: 'TM-FARAP', offset: '+05:00', kind: 'land', dailyCrossings: 800, dailyCargo: 150, home: 'TKM', neighbour: 'UZB', nationalities: { TKM: 50, UZB: 48, RUS: 2 }, imports: ['620342', '080810', '300490'], exports: ['271019', '310230', '520100'] },
  { id: 'TM-IMAMNAZAR', offset: '+05:00', kind: 'land', dailyCrossings: 150, dailyCargo: 120, home: 'TKM', neighbour: 'AFG', nationalities: { TKM: 55, AFG: 45 }, imports: ['081310', '570110'], exports: ['271019', '310230', '252329'] },
  { id: 'TJ-PANJIPOYON', offset: '+05:00', kind: 'land', dailyCrossings: 250, dailyCargo: 150, home: 'TJK', neighbour: 'AFG', nationalities: { TJK: 50, AFG: 48, PAK: 2 }, imports: ['081310', '570110', '071331'], exports: ['100199', '252329', '271019'] },
  // The facing posts of three crossing points, so that a crossing there is seen from both sides.
  { id: 'UZ-GISHTKUPRIK', offset: '+05:00', kind: 'land', dailyCrossings: 6000, dailyCargo: 300, home: 'UZB', neighbour: 'KAZ', nationalities: { UZB: 60, KAZ: 35, TJK: 3, RUS: 2 }, imports: ['100199', '720839', '271019', '252329'], exports: ['081310', '080810', '520100', '620342', '071331'] },
  { id: 'UZ-DUSTLIK', offset: '+05:00', kind: 'land', dailyCrossings: 2500, dailyCargo: 150, home: 'UZB', neighbour: 'KGZ', nationalities: { UZB: 55, KGZ: 43, TJK: 2 }, imports: ['071331', '252329'], exports: ['081310', '520100', '620342'] },
  { id: 'TJ-FOTEHOBOD', offset: '+05:00', kind: 'land', dailyCrossings: 3000, dailyCargo: 200, home: 'TJK', neighbour: 'UZB', nationalities: { TJK: 55, UZB: 43, RUS: 2 }, imports: ['620342', '252329', '300490', '100199'], exports: ['081310', '260300', '520100'] },
  { id: 'KZ-ALA', offset: '+05:00', kind: 'air', dailyCrossings: 12000, dailyCargo: 80, home: 'KAZ', neighbour: '', nationalities: { KAZ: 60, RUS: 10, UZB: 5, KGZ: 4, TUR: 5, CHN: 4, DEU: 3, USA: 2, KOR: 3, IND: 2, ARE: 2 }, imports: ['854231', '847130', '300490', '300420'], exports: ['570110', '300490'] },
  { id: 'UZ-TAS', offset: '+05:00', kind: 'air', dailyCrossings: 9000, dailyCargo: 60, home: 'UZB', neighbour: '', nationalities: { UZB: 65, RUS: 10, KAZ: 4, TUR: 6, KOR: 3, CHN: 3, IND: 3, DEU: 2, TJK: 2, AFG: 2 }, imports: ['854231', '847130', '300490'], exports: ['620342', '081310'] },
  { id: 'TM-TURKMENBASHI', offset: '+05:00', kind: 'sea', dailyCrossings: 150, dailyCargo: 200, home: 'TKM', neighbour: 'AZE', nationalities: { TKM: 60, AZE: 30, RUS: 5, IRN: 5 }, imports: ['870323', '870899', '401120'], exports: ['271019', '310230', '520100'] },
];

/** Posts by id. */
export const POST_BY_ID: ReadonlyMap<string, PostProfile> = new Map(POSTS.map((p) => [p.id, p]));

/**
 * A border crossing point: one post, or a post on each side of the border. Someone
 * crossing a paired point is seen twice: leaving at their side's post and, minutes
 * later, entering at the facing post.
 */
export interface CrossingPoint {
  id: string;
  /** The post on side A (a country of the region) and, when it is one of ours, the facing post on side B. */
  posts: readonly [string] | readonly [string, string];
}

/** The region's crossing points; pairs first. */
export const CROSSING_POINTS: readonly CrossingPoint[] = [
  { id: 'korday', posts: ['KZ-KORDAY', 'KG-AKZHOL'] },
  { id: 'zhibekzholy', posts: ['KZ-ZHIBEKZHOLY', 'UZ-GISHTKUPRIK'] },
  { id: 'dostuk', posts: ['KG-DOSTUK', 'UZ-DUSTLIK'] },
  { id: 'oybek', posts: ['UZ-OYBEK', 'TJ-FOTEHOBOD'] },
  { id: 'alat', posts: ['UZ-ALAT', 'TM-FARAP'] },
  { id: 'nurzholy', posts: ['KZ-NURZHOLY'] },
  { id: 'khorgos', posts: ['KZ-KHORGOS'] },
  { id: 'ayritom', posts: ['UZ-AYRITOM'] },
  { id: 'imamnazar', posts: ['TM-IMAMNAZAR'] },
  { id: 'panjipoyon', posts: ['TJ-PANJIPOYON'] },
  { id: 'ala', posts: ['KZ-ALA'] },
  { id: 'tas', posts: ['UZ-TAS'] },
  { id: 'turkmenbashi', posts: ['TM-TURKMENBASHI'] },
];

/** The facing post of each paired post (both ways). */
export const FACING_POST: ReadonlyMap<string, string> = new Map(
  CROSSING_POINTS.flatMap((cp) => (cp.posts.length === 2 ? [[cp.posts[0], cp.posts[1]] as const, [cp.posts[1], cp.posts[0]] as const] : [])),
);

/** Crossing point of each post. */
export const CROSSING_POINT_OF: ReadonlyMap<string, CrossingPoint> = new Map(CROSSING_POINTS.flatMap((cp) => cp.posts.map((p) => [p, cp] as const)));

/** Relative crossing volume by local hour: land posts peak in working hours, airports in flight banks. */
export const HOURLY = {
  land: [0.2, 0.15, 0.1, 0.1, 0.15, 0.3, 0.6, 1.0, 1.4, 1.6, 1.7, 1.7, 1.6, 1.6, 1.6, 1.5, 1.4, 1.3, 1.1, 0.9, 0.7, 0.5, 0.35, 0.25],
  air: [1.2, 1.0, 1.3, 1.4, 1.0, 0.6, 0.7, 0.9, 1.1, 1.0, 0.9, 0.9, 1.0, 1.0, 1.1, 1.1, 1.0, 1.0, 1.1, 1.2, 1.0, 0.9, 0.9, 1.1],
} as const;

/** Relative volume by day of week, Sunday first. */
export const WEEKLY = {
  crossing: [0.75, 1.0, 0.95, 0.95, 1.0, 1.1, 0.9],
  cargo: [0.3, 1.1, 1.1, 1.1, 1.1, 1.0, 0.5],
} as const;

interface NamePool {
  family: string[];
  male: string[];
  female: string[];
  /** Family names take a feminine ending (-ov → -ova, -ev → -eva, -in → -ina). */
  gendered: boolean;
  /** Passport number: letters then digits. */
  passport: [string, number];
}

export const NAMES: Record<string, NamePool> = {
  KAZ: { family: ['Nurlanov', 'Seitkaliyev', 'Zhaksybekov', 'Abenov', 'Tokayev', 'Omarov', 'Bekmukhambetov', 'Kassymov', 'Sarsenbayev', 'Utegenov', 'Dzhaksybekov', 'Mukanov'], male: ['Nurlan', 'Yerlan', 'Daulet', 'Askar', 'Yerzhan', 'Arman', 'Bauyrzhan', 'Marat', 'Serik', 'Aidos'], female: ['Aigerim', 'Dana', 'Aruzhan', 'Gulnara', 'Saule', 'Madina', 'Zhanar', 'Dinara', 'Asel', 'Aliya'], gendered: true, passport: ['N', 8] },
  UZB: { family: ['Karimov', 'Rakhimov', 'Yusupov', 'Tursunov', 'Abdullayev', 'Mirzayev', 'Saidov', 'Umarov', 'Khodjayev', 'Ismoilov', 'Nazarov', 'Ergashev'], male: ['Aziz', 'Jasur', 'Sardor', 'Bekzod', 'Otabek', 'Sherzod', 'Farrukh', 'Dilshod', 'Ulugbek', 'Rustam'], female: ['Dilnoza', 'Nigora', 'Malika', 'Gulnoza', 'Feruza', 'Shahnoza', 'Zarina', 'Munisa', 'Kamola', 'Sevara'], gendered: true, passport: ['FA', 7] },
  KGZ: { family: ['Asanov', 'Usenov', 'Toktogulov', 'Mamatov', 'Sadyrov', 'Osmonov', 'Dzhumabekov', 'Beishenov', 'Abdykadyrov', 'Kubanychbek uulu', 'Sydykov'], male: ['Almaz', 'Bakyt', 'Nurbek', 'Azamat', 'Talant', 'Emil', 'Kanat', 'Ulan', 'Ermek', 'Chyngyz'], female: ['Aizhan', 'Nazgul', 'Cholpon', 'Aizada', 'Begimai', 'Jyldyz', 'Gulzat', 'Meerim', 'Kunduz', 'Saltanat'], gendered: true, passport: ['AC', 7] },
  TJK: { family: ['Rahmonzoda', 'Nazarov', 'Saidov', 'Qurbonov', 'Sharipov', 'Davlatov', 'Karimzoda', 'Mirzoev', 'Safarov', 'Odinaev', 'Hakimov'], male: ['Firdavs', 'Shahrom', 'Umed', 'Jamshed', 'Behruz', 'Daler', 'Faridun', 'Parviz', 'Rustam', 'Sino'], female: ['Mehrangez', 'Zarina', 'Nilufar', 'Tahmina', 'Firuza', 'Madina', 'Sitora', 'Parvina', 'Gulnora', 'Manizha'], gendered: true, passport: ['4', 8] },
  TKM: { family: ['Berdiyev', 'Atayev', 'Orazov', 'Annayev', 'Gurbanov', 'Durdyyev', 'Hojayev', 'Charyyev', 'Meredov', 'Nurmuhammedov'], male: ['Maksat', 'Serdar', 'Dowlet', 'Merdan', 'Batyr', 'Aman', 'Kerim', 'Myrat', 'Rustam', 'Yhlas'], female: ['Ogulgerek', 'Aybolek', 'Jeren', 'Maya', 'Selbi', 'Gulshat', 'Enejan', 'Ayna', 'Bahar', 'Lale'], gendered: true, passport: ['A', 7] },
  RUS: { family: ['Ivanov', 'Smirnov', 'Kuznetsov', 'Popov', 'Vasilyev', 'Petrov', 'Sokolov', 'Mikhailov', 'Fedorov', 'Morozov'], male: ['Aleksandr', 'Dmitry', 'Sergey', 'Andrey', 'Alexey', 'Maxim', 'Ivan', 'Mikhail'], female: ['Anna', 'Elena', 'Olga', 'Natalia', 'Tatiana', 'Irina', 'Ekaterina', 'Maria'], gendered: true, passport: ['7', 8] },
  CHN: { family: ['Wang', 'Li', 'Zhang', 'Liu', 'Chen', 'Yang', 'Zhao', 'Huang', 'Zhou', 'Wu', 'Ma'], male: ['Wei', 'Jun', 'Lei', 'Qiang', 'Jie', 'Tao', 'Ming', 'Yong'], female: ['Fang', 'Jing', 'Li Na', 'Xiu Ying', 'Min', 'Yan', 'Hui', 'Lan'], gendered: false, passport: ['E', 8] },
  AFG: { family: ['Ahmadzai', 'Stanikzai', 'Popal', 'Noori', 'Hashimi', 'Rahimi', 'Sultani', 'Karimi', 'Amiri', 'Safi'], male: ['Ahmad', 'Mohammad', 'Abdul Rahman', 'Farid', 'Hamid', 'Jawed', 'Nasir', 'Wahid'], female: ['Fatima', 'Mariam', 'Zahra', 'Farzana', 'Nargis', 'Shabnam', 'Parwana', 'Laila'], gendered: false, passport: ['P0', 7] },
  PAK: { family: ['Khan', 'Ahmed', 'Hussain', 'Malik', 'Qureshi', 'Butt', 'Chaudhry', 'Shah'], male: ['Imran', 'Bilal', 'Usman', 'Faisal', 'Kamran', 'Tariq'], female: ['Ayesha', 'Sana', 'Hina', 'Sadia', 'Nadia', 'Rabia'], gendered: false, passport: ['AB', 7] },
  TUR: { family: ['Yilmaz', 'Kaya', 'Demir', 'Sahin', 'Celik', 'Yildiz', 'Ozturk', 'Aydin'], male: ['Mehmet', 'Mustafa', 'Ahmet', 'Ali', 'Emre', 'Murat'], female: ['Ayse', 'Fatma', 'Zeynep', 'Elif', 'Emine', 'Merve'], gendered: false, passport: ['U', 8] },
  AZE: { family: ['Mammadov', 'Aliyev', 'Hasanov', 'Huseynov', 'Guliyev', 'Ismayilov'], male: ['Elvin', 'Rashad', 'Farid', 'Tural', 'Orkhan', 'Kamran'], female: ['Aysel', 'Leyla', 'Gunel', 'Nigar', 'Sevinj', 'Aynur'], gendered: true, passport: ['C', 8] },
  IRN: { family: ['Hosseini', 'Mohammadi', 'Rezaei', 'Ahmadi', 'Karimi', 'Moradi'], male: ['Reza', 'Ali', 'Hossein', 'Mehdi', 'Amir', 'Saeed'], female: ['Fatemeh', 'Zahra', 'Maryam', 'Narges', 'Sara', 'Leila'], gendered: false, passport: ['Y', 8] },
  DEU: { family: ['Mueller', 'Schmidt', 'Schneider', 'Fischer', 'Weber', 'Meyer'], male: ['Lukas', 'Jonas', 'Thomas', 'Michael', 'Stefan'], female: ['Anna', 'Laura', 'Julia', 'Sabine', 'Katrin'], gendered: false, passport: ['C', 8] },
  USA: { family: ['Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Miller'], male: ['James', 'John', 'Robert', 'Michael', 'David'], female: ['Mary', 'Jennifer', 'Linda', 'Sarah', 'Emily'], gendered: false, passport: ['', 9] },
  KOR: { family: ['Kim', 'Lee', 'Park', 'Choi', 'Jung', 'Kang'], male: ['Minjun', 'Seojun', 'Dohyun', 'Jiho', 'Hyunwoo'], female: ['Seoyeon', 'Jiwoo', 'Minseo', 'Hayoon', 'Jiyoung'], gendered: false, passport: ['M', 8] },
  IND: { family: ['Sharma', 'Verma', 'Gupta', 'Singh', 'Kumar', 'Patel'], male: ['Rahul', 'Amit', 'Vikram', 'Arjun', 'Rohan'], female: ['Priya', 'Neha', 'Anjali', 'Pooja', 'Divya'], gendered: false, passport: ['K', 7] },
  ARE: { family: ['Al Mansouri', 'Al Nuaimi', 'Al Falasi', 'Al Mazrouei', 'Al Ketbi'], male: ['Mohammed', 'Ahmed', 'Khalid', 'Saeed', 'Rashid'], female: ['Fatima', 'Mariam', 'Aisha', 'Noura', 'Hessa'], gendered: false, passport: ['', 9] },
};

/** Air routes into the region's two hub airports: carrier, far-end airport, and transit airports. */
export const AIR_ROUTES: Record<string, { carrier: string; airport: string; via: string[] }[]> = {
  'KZ-ALA': [
    { carrier: 'KC', airport: 'NQZ', via: [] }, { carrier: 'KC', airport: 'IST', via: [] }, { carrier: 'TK', airport: 'IST', via: [] },
    { carrier: 'FZ', airport: 'DXB', via: [] }, { carrier: 'SU', airport: 'SVO', via: [] }, { carrier: 'KC', airport: 'FRA', via: [] },
    { carrier: 'OZ', airport: 'ICN', via: [] }, { carrier: 'KC', airport: 'TAS', via: [] }, { carrier: 'KC', airport: 'DEL', via: [] },
    { carrier: 'CZ', airport: 'URC', via: [] }, { carrier: 'TK', airport: 'LHR', via: ['IST'] }, { carrier: 'TK', airport: 'JFK', via: ['IST'] },
    { carrier: 'LH', airport: 'CDG', via: ['FRA'] }, { carrier: 'FZ', airport: 'CAI', via: ['DXB'] }, { carrier: 'KC', airport: 'FRU', via: [] },
  ],
  'UZ-TAS': [
    { carrier: 'HY', airport: 'IST', via: [] }, { carrier: 'TK', airport: 'IST', via: [] }, { carrier: 'HY', airport: 'SVO', via: [] },
    { carrier: 'FZ', airport: 'DXB', via: [] }, { carrier: 'HY', airport: 'ICN', via: [] }, { carrier: 'HY', airport: 'DEL', via: [] },
    { carrier: 'HY', airport: 'ALA', via: [] }, { carrier: 'HY', airport: 'DYU', via: [] }, { carrier: 'HY', airport: 'FRA', via: [] },
    { carrier: 'TK', airport: 'LHR', via: ['IST'] }, { carrier: 'SU', airport: 'LED', via: ['SVO'] }, { carrier: 'HY', airport: 'JED', via: [] },
    { carrier: 'FZ', airport: 'AMM', via: ['DXB'] }, { carrier: 'HY', airport: 'PEK', via: [] },
  ],
};

export const HUB_AIRPORT: Record<string, string> = { 'KZ-ALA': 'ALA', 'UZ-TAS': 'TAS' };

export const TICKET_AGENCIES = ['Kazakh Tourism Travel', 'Silk Way Tours', 'Samarkand Avia Service', 'Aviasales', 'Trip.com', 'Carrier website', 'Carrier office', 'Asia Travel Tashkent', 'Alem Tour', 'Booking desk ALA'];

/** Places and legal forms by country, for shipper and consignee names (about 150 traders a country). */
export const TRADER_PLACES: Record<string, string[]> = {
  CHN: ['Xinjiang', 'Yiwu', 'Urumqi', 'Guangzhou', 'Horgos', 'Shenzhen', 'Zhejiang', 'Kashgar', 'Lanzhou', 'Xi\'an'],
  KAZ: ['Almaty', 'Astana', 'Shymkent', 'Khorgos', 'Aktobe', 'Karaganda', 'Taraz', 'Kostanay', 'Pavlodar', 'Atyrau'],
  UZB: ['Toshkent', 'Fergana', 'Samarkand', 'Bukhara', 'Andijan', 'Namangan', 'Termez', 'Navoi', 'Karshi', 'Urgench'],
  KGZ: ['Bishkek', 'Osh', 'Dordoi', 'Jalal-Abad', 'Karakol', 'Tokmok', 'Naryn', 'Talas'],
  TJK: ['Dushanbe', 'Khujand', 'Kulob', 'Bokhtar', 'Istaravshan', 'Pamir', 'Panjakent'],
  TKM: ['Ashgabat', 'Mary', 'Turkmenbashi', 'Turkmenabat', 'Dashoguz', 'Balkanabat'],
  AFG: ['Mazar', 'Kabul', 'Herat', 'Balkh', 'Kunduz', 'Hairatan', 'Jalalabad'],
  RUS: ['Sibir', 'Volga', 'Ural', 'Novosibirsk', 'Omsk', 'Kazan', 'Moscow', 'Samara'],
  AZE: ['Baku', 'Absheron', 'Ganja', 'Sumgait'],
  TUR: ['Istanbul', 'Anadolu', 'Izmir', 'Bursa', 'Ankara'],
  DEU: ['Rhein', 'Hamburg', 'Bayern', 'Berlin'],
  KOR: ['Seoul', 'Busan', 'Incheon'],
  IND: ['Mumbai', 'Delhi', 'Chennai', 'Hyderabad'],
  PAK: ['Peshawar', 'Lahore', 'Karachi'],
};

export const TRADER_LINES = ['Trade', 'Trading', 'Logistics', 'Agro', 'Import', 'Export', 'Distribution', 'Textile', 'Food', 'Metal', 'Chemicals', 'Auto', 'Electronics', 'Building Materials', 'Commerce'];

export const LEGAL_FORMS: Record<string, string> = {
  CHN: 'Co., Ltd.', KAZ: 'LLP', UZB: 'LLC', KGZ: 'LLC', TJK: 'LLC', TKM: 'HJ', AFG: 'Company', RUS: 'LLC', AZE: 'LLC', TUR: 'A.S.', DEU: 'GmbH', KOR: 'Co.', IND: 'Pvt Ltd', PAK: 'Traders',
};

/** Currency a shipper from a country usually invoices in (besides USD). */
export const LOCAL_CURRENCY: Record<string, string> = {
  CHN: 'CNY', KAZ: 'KZT', UZB: 'UZS', KGZ: 'KGS', TJK: 'TJS', TKM: 'TMT', RUS: 'RUB', TUR: 'TRY', DEU: 'EUR', AFG: 'AFN', IND: 'INR', ARE: 'AED',
};
